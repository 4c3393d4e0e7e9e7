/**
 * The /api/v2 fuzz battery (`npm run fuzz`, issue 8): on each database, the real server in this
 * process on loopback, a seeded world, FUZZ_REQUESTS seeded requests (16 in flight), then
 * `ledger verify`. Every 5xx and every answer outside the contract's shapes is written to
 * artifacts/fuzz-problems.json with the request that caused it; exit 1 on a 5xx or a violation.
 *
 *   FUZZ_REQUESTS (100000)  FUZZ_DATABASES (sqlite,postgres)  FUZZ_SEED (random, printed)
 *   FUZZ_CONCURRENCY (16)   TEST_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/test)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createAppContext } from '../src/app/context.js';
import { systemClock } from '../src/domain/clock.js';
import { openStorage } from '../src/storage/connection.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { type FuzzReport, runFuzzBattery } from '../test/support/fuzz-battery.js';
import { type BenchDatabaseName, createBenchDatabase, isPostgresReachable } from './support/databases.js';

// A bench script is its own composition root, as bench/run.ts is: it reads its own settings.
const env = process.env;
const REQUESTS = Number(env.FUZZ_REQUESTS ?? 100_000);
const CONCURRENCY = Number(env.FUZZ_CONCURRENCY ?? 16);
const SEED = env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(env.FUZZ_SEED);
const DATABASES = (env.FUZZ_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map((name) => name.trim()) as BenchDatabaseName[];
const POSTGRES_URL = env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PROBLEMS_FILE = 'artifacts/fuzz-problems.json';

async function fuzzOne(name: BenchDatabaseName): Promise<FuzzReport> {
  const database = await createBenchDatabase(name, POSTGRES_URL);
  const storage = openStorage(database.url, { poolSize: 10 });
  try {
    await migrateToLatest(storage);
    const progress = (done: number) => done % 25_000 === 0 && console.log(`  ${name}: ${done} requests`);
    return await runFuzzBattery(createAppContext(storage, systemClock), {
      seed: SEED,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      onProgress: progress,
    });
  } finally {
    await storage.close();
    await database.drop();
  }
}

function summary(name: string, report: FuzzReport): string {
  const undocumented = Object.entries(report.undocumented);
  const lines = [
    `${name}: ${report.requests} requests in ${(report.elapsedMs / 1000).toFixed(1)} s (seed ${report.seed})`,
    `  statuses: ${Object.entries(report.statusCounts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, n]) => `${status} ×${n}`)
      .join(', ')}`,
    `  5xx: ${report.serverErrors.length}`,
    `  outside the documented shapes: ${undocumented.reduce((sum, [, group]) => sum + group.count, 0)}`,
    ...undocumented.map(
      ([reason, group]) =>
        `    ${group.count} × ${reason} (e.g. #${group.examples[0]?.index} ${group.examples[0]?.label})`,
    ),
    `  GET/HEAD today (issue 11): ${
      Object.entries(report.later)
        .map(([what, n]) => `${n} × ${what}`)
        .join('; ') || 'none sent'
    }`,
    `  no answer: ${
      Object.entries(report.noAnswer)
        .map(([what, n]) => `${n} × ${what}`)
        .join('; ') || 'none'
    }`,
    `  ledger verify: ${report.ledger.ok ? 'ok' : 'VIOLATED'} (${report.ledger.accounts} accounts, ${report.ledger.orders} orders, ${report.ledger.entries} entries)`,
    ...report.ledger.violations.map((violation) => `    ${violation}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  console.log(`fuzz /api/v2: ${REQUESTS} requests per database, seed ${SEED}, ${CONCURRENCY} in flight`);
  // null: the database could not be reached, which fails the run rather than passing it.
  const reports: Record<string, FuzzReport | null> = {};
  for (const name of DATABASES) {
    if (name === 'postgres' && !(await isPostgresReachable(POSTGRES_URL))) {
      console.log(`postgres: unreachable at ${POSTGRES_URL}: not fuzzed`);
      reports[name] = null;
      continue;
    }
    const report = await fuzzOne(name);
    reports[name] = report;
    console.log(summary(name, report));
  }
  mkdirSync('artifacts', { recursive: true });
  writeFileSync(PROBLEMS_FILE, `${JSON.stringify({ seed: SEED, requests: REQUESTS, reports }, null, 2)}\n`);
  console.log(`details: ${PROBLEMS_FILE}`);
  const isFailed = Object.values(reports).some(
    (report) => report === null || report.serverErrors.length > 0 || !report.ledger.ok,
  );
  return isFailed ? 1 : 0;
}

process.exitCode = await main();
