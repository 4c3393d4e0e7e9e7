import { userInfo } from 'node:os';
import { type OpenedApp, openApp } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { isDomainError } from '../domain/errors.js';
import { cliRefusalText } from './refusal-text.js';

/** A failure the operator can act on: printed as one line on stderr, exit code 1. */
export class CliError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function messageOf(error: unknown): string {
  if (isDomainError(error)) return cliRefusalText(error.refusal);
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one CLI command against the configured database: opens and migrates it, runs `body`,
 * prints its result as JSON on stdout, and always closes the database. Failures go to stderr
 * with a non-zero exit code.
 */
export async function runWithApp(
  body: (opened: OpenedApp) => Promise<unknown>,
  options: { migrate?: boolean } = {},
): Promise<void> {
  let opened: OpenedApp | undefined;
  try {
    opened = await openApp(loadConfig(), { migrate: options.migrate !== false });
    const result = await body(opened);
    if (result !== undefined) printJson(result);
  } catch (error) {
    process.stderr.write(`inspiria: ${messageOf(error)}\n`);
    process.exitCode = 1;
  } finally {
    await opened?.close().catch((error: unknown) => {
      process.stderr.write(`inspiria: closing the database failed: ${messageOf(error)}\n`);
      process.exitCode = 1;
    });
  }
}

/** The operator's identity in the audit log: the system user who ran the command. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // A container user without a passwd entry has no name.
    return 'cli:operator';
  }
}
