/**
 * The fulfilment engine's throughput (`npm run bench`): the simulator at full speed (no start
 * delay, no pause between steps) drains a backlog of orders, one worker on SQLite and two on
 * PostgreSQL. Baseline, measured in the same run on the same database: bare one-step
 * transactions (read an order, version-checked update, commit) through the same Kysely
 * connection, the floor of what one engine step costs.
 */
import { createAppContext } from '../src/app/context.js';
import { createAccount } from '../src/app/create-account.js';
import { placeOrder } from '../src/app/place-order.js';
import { createService } from '../src/app/save-service.js';
import { verifyLedger } from '../src/app/verify-ledger.js';
import { FakeClock } from '../src/domain/clock.js';
import { DEFAULT_ENGINE_SETTINGS } from '../src/engine/settings.js';
import { Worker } from '../src/engine/worker.js';
import { openStorage, type Storage } from '../src/storage/connection.js';
import { countUnsettledOrders } from '../src/storage/engine-repository.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { createBenchDatabase, isPostgresReachable } from './support/databases.js';
import type { BenchSection, BenchSettings, Measurement, SectionResult } from './support/report.js';

const QUANTITY = 100;
const STEP_UNITS = 10;
/** Writes per order: one to start, one per step. */
const STEPS_PER_ORDER = 1 + QUANTITY / STEP_UNITS;
const SERVICE_ID = 1;

export interface BenchRow {
  database: 'sqlite' | 'postgres';
  workers: number;
  orders: number;
  stepsPerSecond: number;
  ordersPerSecond: number;
  bareStepsPerSecond: number;
  isLedgerClean: boolean;
}

async function seedBacklog(storage: Storage, orders: number) {
  const ctx = createAppContext(storage, new FakeClock());
  const account = await createAccount(ctx, {
    email: 'bench@example.com',
    password: 'bench password',
    openingBalanceUnits: 1_000_000_000_000,
  });
  await createService(ctx, {
    id: SERVICE_ID,
    actor: 'bench',
    fields: {
      name: 'Bench likes',
      category: 'Likes',
      type: 'Default',
      linkType: 'post_url',
      rateUnits: 10_000,
      minQuantity: 1,
      maxQuantity: 10_000,
      canCancel: true,
      isActive: true,
      backend: 'simulator',
    },
  });
  for (let i = 0; i < orders; i++) {
    await placeOrder(ctx, {
      accountId: account.id,
      serviceId: SERVICE_ID,
      link: `https://www.instagram.com/p/Bench${String(i).padStart(6, '0')}/`,
      quantity: QUANTITY,
      comments: undefined,
    });
  }
  return ctx;
}

/**
 * The baseline: `steps` bare read-then-version-checked-update transactions, `lanes` at a time
 * (as many as the engine's workers run side by side on that database).
 */
async function measureBareSteps(storage: Storage, steps: number, lanes: number): Promise<number> {
  const ids = (await storage.db.selectFrom('orders').select('id').execute()).map((row) => row.id);
  const startMs = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < steps) {
      const id = ids[next++ % ids.length] as number;
      await bareStep(storage, id);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return (steps * 1000) / (performance.now() - startMs);
}

async function bareStep(storage: Storage, id: number): Promise<void> {
  await storage.db.transaction().execute(async (trx) => {
    const order = await trx.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await trx
      .updateTable('orders')
      .set({ updated_at: order.updated_at + 1, version: order.version + 1 })
      .where('id', '=', id)
      .where('version', '=', order.version)
      .execute();
  });
}

async function benchDatabase(settings: BenchSettings, name: 'sqlite' | 'postgres'): Promise<BenchRow> {
  const database = await createBenchDatabase(name, settings.postgresUrl);
  const orders = 100 * settings.seconds;
  const workerCount = name === 'postgres' ? 2 : 1;
  const storages: Storage[] = [];
  try {
    const main = openStorage(database.url);
    storages.push(main);
    await migrateToLatest(main);
    const ctx = await seedBacklog(main, orders);
    const engineSettings = {
      ...DEFAULT_ENGINE_SETTINGS,
      batchSize: 50,
      simulator: { startDelayMs: 0, stepMs: 0, stepUnits: STEP_UNITS },
    };
    const workers = Array.from({ length: workerCount }, (_, index) => {
      const storage = name === 'postgres' ? openStorage(database.url) : main;
      if (storage !== main) storages.push(storage);
      return new Worker({
        ctx: createAppContext(storage, ctx.clock),
        settings: engineSettings,
        owner: `bench${index}`,
      });
    });
    const startMs = performance.now();
    while ((await countUnsettledOrders(main.db)) > 0)
      await Promise.all(workers.map((worker) => worker.runOnce()));
    const seconds = (performance.now() - startMs) / 1000;
    const isLedgerClean = (await verifyLedger(ctx)).ok;
    // Two workers of four lanes each on PostgreSQL (worker.ts); SQLite has one writer.
    const lanes = name === 'postgres' ? 4 * workerCount : 1;
    const bareStepsPerSecond = await measureBareSteps(main, Math.min(orders * STEPS_PER_ORDER, 2_000), lanes);
    return {
      database: name,
      workers: workerCount,
      orders,
      stepsPerSecond: (orders * STEPS_PER_ORDER) / seconds,
      ordersPerSecond: orders / seconds,
      bareStepsPerSecond,
      isLedgerClean,
    };
  } finally {
    for (const storage of storages) await storage.close().catch(() => {});
    await database.drop();
  }
}

/** The engine's figures on each database of the run. */
export async function benchEngine(settings: BenchSettings): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of settings.databases) {
    if (name === 'postgres' && !(await isPostgresReachable(settings.postgresUrl))) continue;
    process.stderr.write(`bench engine: ${name}...\n`);
    rows.push(await benchDatabase(settings, name));
  }
  return rows;
}

export const engineSection: BenchSection = {
  name: 'engine',
  async run(settings) {
    const result: SectionResult = { name: 'engine', tables: [], aims: [], problems: [], notes: [] };
    for (const row of await benchEngine(settings)) {
      const measurements: Measurement[] = [
        {
          scenario: 'delivery steps',
          rate: row.stepsPerSecond,
          ratio: row.stepsPerSecond / row.bareStepsPerSecond,
          failures: 0,
        },
        { scenario: 'orders completed', rate: row.ordersPerSecond, failures: 0 },
        { scenario: 'bare step transactions', rate: row.bareStepsPerSecond, ratio: 1, failures: 0 },
      ];
      result.tables.push({
        title: `engine on ${row.database}: simulator at full speed, ${row.orders} orders × ${STEPS_PER_ORDER} steps, ${row.workers} worker(s)`,
        unit: 'per s',
        baseline: 'bare step',
        rows: measurements,
      });
      if (!row.isLedgerClean)
        result.problems.push(`${row.database}: ledger verify failed after the engine run`);
    }
    for (const name of settings.databases) {
      if (!result.tables.some((table) => table.title.includes(` ${name}:`))) {
        result.problems.push(`${name}: not measured (unreachable)`);
      }
    }
    result.notes.push(
      'a delivery step is a version-checked update (and a refund entry when one is due); the steps of one claimed group share a commit, the bare baseline commits each',
      'orders completed per second counts orders of 100 units delivered 10 at a time, from Pending to Completed',
    );
    return result;
  },
};
