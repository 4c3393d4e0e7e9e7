/**
 * The business report at scale (`BENCH_SECTIONS=reports`): BENCH_REPORT_ORDERS orders
 * (1,000,000 by default) placed over one month, and a tenth as many the month before, written
 * in SQL batches (not through the API: the report's reading is measured, not the placing).
 * Measured: the report of the month (per day, service, provider and customer). Baseline, in the
 * same run on the same database: one count(*) of the month's orders through the same index.
 */
import { sql } from 'kysely';
import { compactAllBusinessSummaries } from '../src/app/compact-business-summaries.js';
import { createAppContext } from '../src/app/context.js';
import { getBusinessReport } from '../src/app/get-business-report.js';
import { romeMidnightMs } from '../src/app/report-period.js';
import { upstreamBackendName } from '../src/domain/backends.js';
import { FakeClock } from '../src/domain/clock.js';
import { openStorage, type Storage } from '../src/storage/connection.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { createBenchDatabase, isPostgresReachable } from './support/databases.js';
import type { BenchSection, BenchSettings, SectionResult } from './support/report.js';

const SERVICES = 200;
const ACCOUNTS = 5_000;
const BATCH = 500;
const MONTH = { from: '2026-10-01', to: '2026-10-31', next: '2026-11-01', before: '2026-09-01' };

function orderCount(): number {
  const text = process.env.BENCH_REPORT_ORDERS || '1000000';
  if (!/^\d+$/.test(text) || Number(text) < 1000)
    throw new Error('BENCH_REPORT_ORDERS must be a whole number ≥ 1000');
  return Number(text);
}

async function seedCatalog(storage: Storage): Promise<void> {
  const db = storage.db;
  for (let first = 1; first <= ACCOUNTS; first += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, ACCOUNTS - first + 1) }, (_, i) => ({
      email: `bench${first + i}@example.com`,
      password_hash: 'x',
      role: 'user' as const,
      status: 'active' as const,
      created_at: 0,
    }));
    await db.insertInto('accounts').values(rows).execute();
  }
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    id: i + 1,
    name: `Bench service ${i + 1}`,
    type: 'Default' as const,
    category: 'Bench',
    link_type: 'post_url',
    rate_units: 10_000,
    min_quantity: 1,
    max_quantity: 100_000,
    can_cancel: 1,
    is_active: 1,
    backend: i % 2 === 0 ? ('operator' as const) : upstreamBackendName(`p${i % 5}`),
    upstream_provider: i % 2 === 0 ? null : `p${i % 5}`,
    created_at: 0,
    updated_at: 0,
  }));
  await db.insertInto('services').values(services).execute();
}

/** `count` orders spread evenly over [fromMs, toMs), in batches of a transaction each. */
async function seedOrders(storage: Storage, count: number, fromMs: number, toMs: number): Promise<void> {
  const stepMs = (toMs - fromMs) / count;
  for (let first = 0; first < count; first += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, count - first) }, (_, i) => {
      const n = first + i;
      const charge = 1_000 + (n % 97) * 100;
      const createdAt = Math.floor(fromMs + n * stepMs);
      return {
        account_id: 1 + ((n * 7919) % ACCOUNTS),
        service_id: 1 + (n % SERVICES),
        link: 'https://www.instagram.com/p/Bench/',
        quantity: 1000,
        comments: null,
        charge_units: charge,
        refunded_units: n % 10 === 0 ? Math.floor(charge / 2) : 0,
        status: n % 10 === 0 ? ('Partial' as const) : ('Completed' as const),
        remains: n % 10 === 0 ? 500 : 0,
        cost_units: n % 3 === 0 ? null : Math.floor(charge * 0.7),
        created_at: createdAt,
        updated_at: createdAt,
      };
    });
    await storage.db.insertInto('orders').values(rows).execute();
  }
}

async function timeMs(task: () => Promise<unknown>, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const startMs = performance.now();
    await task();
    times.push(performance.now() - startMs);
  }
  return times.sort((a, b) => a - b);
}

interface ReportBenchRow {
  database: 'sqlite' | 'postgres';
  orders: number;
  seedSeconds: number;
  reportMs: number[];
  countMs: number[];
  reportOrders: number;
  /** Folding the seeding's summary deltas: the worker's backlog after a bulk load. */
  compactSeconds: number;
}

async function benchDatabase(settings: BenchSettings, name: 'sqlite' | 'postgres'): Promise<ReportBenchRow> {
  const database = await createBenchDatabase(name, settings.postgresUrl);
  const storage = openStorage(database.url);
  try {
    await migrateToLatest(storage);
    const orders = orderCount();
    const seedStart = performance.now();
    await seedCatalog(storage);
    const fromMs = romeMidnightMs(MONTH.from);
    const toMs = romeMidnightMs(MONTH.next);
    await seedOrders(storage, Math.floor(orders / 10), romeMidnightMs(MONTH.before), fromMs);
    await seedOrders(storage, orders, fromMs, toMs);
    // Fresh statistics, as a database that has grown to this size would have.
    await sql`analyze`.execute(storage.db);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const ctx = createAppContext(storage, new FakeClock(toMs));
    // The worker folds the summaries' deltas every few seconds as orders arrive; a bulk load
    // leaves them all at once, folded here (and timed) before the report is measured.
    const compactStart = performance.now();
    await compactAllBusinessSummaries(ctx);
    await sql`analyze`.execute(storage.db);
    const compactSeconds = (performance.now() - compactStart) / 1000;
    let reportOrders = 0;
    const reportMs = await timeMs(async () => {
      reportOrders = (await getBusinessReport(ctx, { fromDay: MONTH.from, toDay: MONTH.to })).totals.orders;
    }, settings.rounds);
    const countMs = await timeMs(
      () =>
        storage.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('created_at', '>=', fromMs)
          .where('created_at', '<', toMs)
          .execute(),
      settings.rounds,
    );
    return { database: name, orders, seedSeconds, reportMs, countMs, reportOrders, compactSeconds };
  } finally {
    await storage.close().catch(() => {});
    await database.drop();
  }
}

export const reportsSection: BenchSection = {
  name: 'reports',
  async run(settings) {
    const result: SectionResult = { name: 'reports', tables: [], aims: [], problems: [], notes: [] };
    for (const name of settings.databases) {
      if (name === 'postgres' && !(await isPostgresReachable(settings.postgresUrl))) {
        result.problems.push('postgres: not measured (unreachable)');
        continue;
      }
      process.stderr.write(`bench reports: ${name}, seeding...\n`);
      const row = await benchDatabase(settings, name);
      const median = (times: number[]) => times[Math.floor(times.length / 2)] ?? 0;
      result.tables.push({
        title: `report of a month on ${name}: ${row.orders} orders in the month (+${Math.floor(row.orders / 10)} before), seeded in ${row.seedSeconds.toFixed(0)} s`,
        unit: 'per s',
        baseline: 'count(*) of the month',
        rows: [
          {
            scenario: 'month report (days, services, providers, customers)',
            rate: 1000 / median(row.reportMs),
            p50Ms: median(row.reportMs),
            p99Ms: row.reportMs.at(-1) ?? 0,
            ratio: median(row.countMs) / median(row.reportMs),
            failures: 0,
          },
          {
            scenario: 'count(*) of the month',
            rate: 1000 / median(row.countMs),
            p50Ms: median(row.countMs),
            p99Ms: row.countMs.at(-1) ?? 0,
            ratio: 1,
            failures: 0,
          },
        ],
      });
      result.aims.push({
        description: `${name}: a month's report of ${row.orders} orders in under a second (slowest of ${row.reportMs.length}: ${(row.reportMs.at(-1) ?? 0).toFixed(0)} ms)`,
        isMet: (row.reportMs.at(-1) ?? Number.POSITIVE_INFINITY) < 1000,
      });
      result.notes.push(
        `${name}: the seeding's summary deltas folded in ${row.compactSeconds.toFixed(0)} s (the worker's backlog after a bulk load)`,
      );
      if (row.reportOrders !== row.orders)
        result.problems.push(`${name}: the report counted ${row.reportOrders} orders, not ${row.orders}`);
    }
    result.notes.push(
      "BENCH_REPORT_ORDERS sets the month's orders (1,000,000 by default); BENCH_ROUNDS the reports timed",
    );
    return result;
  },
};
