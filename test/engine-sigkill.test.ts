import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { countUnsettledOrders } from '../src/storage/engine-repository.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { binOf, useBuild } from './support/cli.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder } from './support/engine.js';

const ORDERS = 150;
const QUANTITY = 100;
const STEP_UNITS = 10;
const SERVICE = 701;

/** The built bin (test/support/cli.ts): what an operator runs, and a quarter of tsx's start-up cost. */
const build = useBuild();

/** `inspiria worker` in a child process (the built bin), on the suite's own database. */
function spawnWorker(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, [binOf(build()), 'worker'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      SIMULATOR_START_DELAY_MS: '0',
      SIMULATOR_STEP_MS: '30',
      SIMULATOR_STEP_UNITS: String(STEP_UNITS),
      WORKER_LEASE_MS: '1000',
      WORKER_POLL_MS: '20',
      WORKER_BATCH_SIZE: '10',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitFor(condition: () => Promise<boolean>, what: string, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

describeEachDatabase('a worker killed with SIGKILL', (db) => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  });

  beforeAll(async () => {
    const { id: accountId } = await createCustomer(db(), 1_000_000_000);
    await createTestService(db(), { backend: 'simulator', minQuantity: 1 }, SERVICE);
    for (let i = 0; i < ORDERS; i++) {
      await placeTestOrder(db().ctx, {
        accountId,
        serviceId: SERVICE,
        link: `https://www.instagram.com/p/Killed${String(i).padStart(5, '0')}/`,
        quantity: QUANTITY,
      });
    }
  });

  const progressed = async () => {
    const row = await db()
      .ctx.db.selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '<>', 'Pending')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };

  it('loses no order, and after a restart every order finishes exactly once', async () => {
    const { ctx } = db();
    child = spawnWorker(db().url);
    await waitFor(async () => (await progressed()) >= 20, 'the first worker to make progress');
    child.kill('SIGKILL');
    await exited(child);
    const unsettledAtKill = await countUnsettledOrders(ctx.db);
    expect(unsettledAtKill).toBeGreaterThan(0);

    child = spawnWorker(db().url);
    await waitFor(async () => (await countUnsettledOrders(ctx.db)) === 0, 'the restarted worker to finish');
    child.kill('SIGTERM');
    await exited(child);

    const orders = await ctx.db.selectFrom('orders').selectAll().where('service_id', '=', SERVICE).execute();
    expect(orders).toHaveLength(ORDERS);
    for (const order of orders) {
      // Completed once: one write to start plus one per step of 10 units; none twice.
      expect(order).toMatchObject({ status: 'Completed', remains: 0, refunded_units: 0 });
      expect(order.version).toBe(1 + QUANTITY / STEP_UNITS);
    }
    await expectLedgerOk(ctx);
  }, 240_000);
});
