import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, expect, it } from 'vitest';
import { createAppContext } from '../src/app/context.js';
import { Worker } from '../src/engine/worker.js';
import { claimDueOrders, earliestClaimableAt, PARKED_AT } from '../src/storage/engine-repository.js';
import { updateOrderAtVersion } from '../src/storage/orders-repository.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { placeTestOrder, readOrder, testSettings } from './support/engine.js';

/** Operator orders: the engine's only step parks them, which shows when a worker took them. */
const SERVICE = 701;
const LINK = 'https://www.instagram.com/p/Idle00001/';

async function placeOrders(db: TestDatabase, count: number): Promise<number[]> {
  const { id: accountId } = await createCustomer(db, 1_000_000);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await placeTestOrder(db.ctx, { accountId, serviceId: SERVICE, link: LINK, quantity: 100 }));
  }
  return ids;
}

/** A worker that claimed the orders and died: its leases hold until `leaseMs` from now. */
async function leaseToDeadWorker(db: TestDatabase, orderIds: number[], leaseMs: number): Promise<void> {
  const claimed = await claimDueOrders(db.ctx.db, db.ctx.kind, {
    owner: 'dead-worker',
    nowMs: db.clock.now(),
    leaseMs,
    limit: 1_000,
  });
  expect(claimed.map((order) => order.id).sort((a, b) => a - b)).toEqual(orderIds);
}

async function isParked(db: TestDatabase, orderIds: number[]): Promise<boolean> {
  const orders = await Promise.all(orderIds.map((id) => readOrder(db.ctx, id)));
  return orders.every((order) => order.backend === 'operator' && order.next_run_at === PARKED_AT);
}

/** Polls for `isDone` for at most `timeoutMs` of real time; returns whether it came true. */
async function waitFor(isDone: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await delay(20)) {
    if (await isDone()) return true;
  }
  return isDone();
}

describeEachDatabase('the worker while nothing is claimable', (db) => {
  beforeAll(async () => {
    await createTestService(db(), { backend: 'operator' }, SERVICE);
  });

  it('earliestClaimableAt is the later of due time and lease end, over orders due before the horizon', async () => {
    const now = db().clock.now();
    const [leasedLong, dueSoon, leasedShort] = await placeOrders(db(), 3);
    const schedule = async (orderId: number, patch: { next_run_at: number; lease_until: number | null }) => {
      const order = await readOrder(db().ctx, orderId);
      expect(await updateOrderAtVersion(db().ctx.db, orderId, order.version, patch)).toBe(true);
    };
    await schedule(leasedLong as number, { next_run_at: now - 50, lease_until: now + 500 });
    await schedule(dueSoon as number, { next_run_at: now + 300, lease_until: null });
    await schedule(leasedShort as number, { next_run_at: now + 200, lease_until: now + 100 });
    expect(await earliestClaimableAt(db().ctx.db, now + 1_000)).toBe(now + 200);
    // Orders due after the horizon do not count, however soon their leases end.
    expect(await earliestClaimableAt(db().ctx.db, now + 150)).toBe(now + 500);
    expect(await earliestClaimableAt(db().ctx.db, now - 50)).toBeUndefined();
    for (const id of [leasedLong, dueSoon, leasedShort]) {
      await schedule(id as number, { next_run_at: PARKED_AT, lease_until: null });
    }
  });

  it("waits out a dead worker's leases with a few rounds, then takes the orders over", async () => {
    const orderIds = await placeOrders(db(), 3);
    await leaseToDeadWorker(db(), orderIds, 60_000);
    const pollMs = 200;
    const worker = new Worker({
      ctx: createAppContext(db().openAnother(), db().clock),
      settings: testSettings({ pollMs }),
      owner: 'live-worker',
    });
    worker.start();
    try {
      await delay(1_000);
      // One claim per poll interval (about 5 here); a worker polling every millisecond made
      // hundreds in this second.
      expect(worker.stats.claimRounds).toBeGreaterThanOrEqual(1);
      expect(worker.stats.claimRounds).toBeLessThanOrEqual(1_000 / pollMs + 3);
      expect(await isParked(db(), orderIds)).toBe(false);
      db().clock.advance(60_000);
      expect(await waitFor(() => isParked(db(), orderIds), 5_000)).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it('sleeps until a lease ends when that comes before the poll interval', async () => {
    const orderIds = await placeOrders(db(), 2);
    await leaseToDeadWorker(db(), orderIds, 400);
    // The fake clock stands still, so the worker sees the lease end 400 ms ahead at every
    // round: it sleeps 400 ms each time, never the 60 s poll interval, never 1 ms.
    const worker = new Worker({
      ctx: createAppContext(db().openAnother(), db().clock),
      settings: testSettings({ pollMs: 60_000 }),
      owner: 'live-worker-2',
    });
    const startedMs = performance.now();
    worker.start();
    try {
      // A second round comes after one 400 ms sleep (a loaded machine may make a round slow:
      // wait for it rather than for a fixed second), and never hundreds of 1 ms sleeps.
      expect(await waitFor(async () => worker.stats.claimRounds >= 2, 10_000)).toBe(true);
      const elapsedMs = performance.now() - startedMs;
      expect(worker.stats.claimRounds).toBeLessThanOrEqual(elapsedMs / 400 + 3);
      db().clock.advance(400);
      expect(await waitFor(() => isParked(db(), orderIds), 5_000)).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it('starts a round at once when an order is placed in its own process', async () => {
    const worker = new Worker({ ctx: db().ctx, settings: testSettings({ pollMs: 60_000 }), owner: 'local' });
    worker.start();
    try {
      // Nothing claimable: the first round finds nothing, and the worker sleeps the full minute.
      expect(await waitFor(async () => worker.stats.claimRounds >= 1, 5_000)).toBe(true);
      await delay(200);
      expect(worker.stats.claimRounds).toBe(1);
      const orderIds = await placeOrders(db(), 1);
      expect(await waitFor(() => isParked(db(), orderIds), 5_000)).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
