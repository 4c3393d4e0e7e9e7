/**
 * `npm run bench`: every section in order, each measuring against a baseline from the same
 * run, then the whole report as JSON in artifacts/bench.json. Add a section to SECTIONS.
 *
 * Environment: BENCH_SECONDS (3, one measured run), BENCH_ROUNDS (3), BENCH_WARMUP_SECONDS (1), BENCH_CONNECTIONS (50),
 * BENCH_LOG_LEVEL (warn), BENCH_DATABASES (sqlite,postgres), BENCH_PROFILE (1 writes CPU
 * profiles of the servers to artifacts/profiles), BENCH_POSTGRES_URL, BENCH_ONLY (comma-separated
 * parts of scenario names: measure only those, to profile one path), BENCH_SECTIONS (comma-
 * separated section names, e.g. api; growth and reports run only when named), BENCH_GROWTH_ORDERS
 * (1000000), BENCH_REPORT_ORDERS (reports: orders in the month, 1000000), BENCH_SERVER_NODE_FLAGS
 * (the panel server's node flags, space-separated; unset: src/server-node-flags.ts, as deployed;
 * set but empty for none, to measure without them).
 */
import { resolve } from 'node:path';
import { apiSection } from './api.js';
import { engineSection } from './engine.js';
import { growthSection } from './growth.js';
import { reportsSection } from './reports.js';
import type { BenchDatabaseName } from './support/databases.js';
import {
  type BenchSection,
  type BenchSettings,
  describeMachine,
  printSection,
  type SectionResult,
  writeJsonReport,
} from './support/report.js';

/** growth and reports build a million orders: only when named (BENCH_SECTIONS=growth,reports). */
const SECTIONS: readonly BenchSection[] = [apiSection, engineSection, growthSection, reportsSection];
const ON_REQUEST_ONLY = new Set(['growth', 'reports']);

function wholeNumber(name: string, fallback: number, min: number, max: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function databases(): BenchDatabaseName[] {
  const names = (process.env.BENCH_DATABASES || 'sqlite,postgres').split(',').map((name) => name.trim());
  for (const name of names) {
    if (name !== 'sqlite' && name !== 'postgres')
      throw new Error(`BENCH_DATABASES: unknown database ${name}`);
  }
  return names as BenchDatabaseName[];
}

function loadSettings(): BenchSettings {
  const postgresUrl =
    process.env.BENCH_POSTGRES_URL ||
    process.env.TEST_POSTGRES_URL ||
    'postgres://postgres@127.0.0.1:5432/test';
  return Object.freeze({
    seconds: wholeNumber('BENCH_SECONDS', 3, 1, 600),
    rounds: wholeNumber('BENCH_ROUNDS', 3, 1, 20),
    warmupSeconds: wholeNumber('BENCH_WARMUP_SECONDS', 1, 0, 60),
    connections: wholeNumber('BENCH_CONNECTIONS', 50, 1, 1000),
    logLevel: process.env.BENCH_LOG_LEVEL || 'warn',
    isProfiled: process.env.BENCH_PROFILE === '1',
    artifactsDir: resolve('artifacts'),
    postgresUrl,
    databases: databases(),
    ...(process.env.BENCH_ONLY ? { only: process.env.BENCH_ONLY.split(',') } : {}),
  });
}

async function main(): Promise<number> {
  const settings = loadSettings();
  const startedAt = new Date();
  const machineAtStart = describeMachine();
  process.stdout.write(`machine: ${machineAtStart}\n`);
  const results: SectionResult[] = [];
  const chosen = process.env.BENCH_SECTIONS?.split(',');
  for (const section of SECTIONS.filter((s) =>
    chosen ? chosen.includes(s.name) : !ON_REQUEST_ONLY.has(s.name),
  )) {
    const result = await section.run(settings);
    printSection(result);
    results.push(result);
  }
  const file = writeJsonReport(settings, results, startedAt, machineAtStart);
  process.stdout.write(`\nmachine at the end: ${describeMachine()}\nresults written to ${file}\n`);
  // A figure built on failed requests measures the failure path: that run is not a result.
  return results.some((result) => result.problems.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
