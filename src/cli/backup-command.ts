import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, runWithApp } from './output.js';

const POSTGRES_ADVICE =
  'backup copies the embedded SQLite database only. For PostgreSQL use its own tools, e.g. ' +
  '`pg_dump --format=custom --file=inspiria.dump "$DATABASE_URL"` (a consistent snapshot of a live ' +
  'database), restored with `pg_restore --dbname=... inspiria.dump`; see the README, Operations.';

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description('write a consistent copy of the live SQLite database (for PostgreSQL it explains pg_dump)')
    .requiredOption('--to <file>', 'the new file to write (must not exist yet)')
    .action((options: { to: string }) =>
      // Not migrated: a backup copies the database as it is, whatever the server is doing.
      runWithApp(
        async ({ storage }) => {
          if (!storage.backupTo) throw new CliError(POSTGRES_ADVICE);
          const target = resolve(options.to);
          if (existsSync(target)) throw new CliError(`${target} exists already: choose a new file`);
          const startedMs = Date.now();
          await storage.backupTo(target);
          return { backedUp: true, file: target, tookMs: Date.now() - startedMs };
        },
        { migrate: false },
      ),
    );
}
