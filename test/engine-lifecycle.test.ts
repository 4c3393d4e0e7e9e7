import { beforeAll, describe, expect, it } from 'vitest';
import { applyReport } from '../src/app/apply-delivery-report.js';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { listOperatorQueue } from '../src/app/list-operator-queue.js';
import { recordFailedAttempt } from '../src/app/record-failed-attempt.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { isDomainError } from '../src/domain/errors.js';
import { simulatedStartCount } from '../src/engine/backends/simulator.js';
import { claimDueOrders } from '../src/storage/engine-repository.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { drive, placeTestOrder, readOrder, testSettings, testWorker } from './support/engine.js';

const POST = (code: string) => `https://www.instagram.com/p/${code}/`;

describeEachDatabase('engine lifecycle', (db) => {
  let accountId = 0;
  const SIMULATED = 501;
  const OPERATED = 502;
  const DEFAULTED = 503;

  beforeAll(async () => {
    accountId = (await createCustomer(db(), 100_000_000)).id;
    // rate 3.5000 per 1000: an order of 1000 costs 3.5000 (35000 units).
    await createTestService(db(), { backend: 'simulator', maxQuantity: 100_000 }, SIMULATED);
    await createTestService(db(), { backend: 'operator', minQuantity: 1, maxQuantity: 100_000 }, OPERATED);
    await createTestService(db(), {}, DEFAULTED);
  });

  const order = (serviceId: number, link: string, quantity = 1000) =>
    placeTestOrder(db().ctx, { accountId, serviceId, link, quantity });

  it('simulator: Pending → In progress → Completed, start_count recorded, remains falling', async () => {
    const { ctx, clock } = db();
    const orderId = await order(SIMULATED, POST('HappyPath01'), 250);
    const worker = testWorker(ctx);
    await worker.runOnce();
    expect((await readOrder(ctx, orderId)).status).toBe('Pending');
    clock.advance(1_000);
    await worker.runOnce();
    const started = await readOrder(ctx, orderId);
    expect(started).toMatchObject({
      status: 'In progress',
      remains: 250,
      start_count: simulatedStartCount(POST('HappyPath01')),
    });
    expect(started.start_count).toBeGreaterThan(0);
    const seen: number[] = [];
    await drive(worker, clock, {
      stepMs: 1_000,
      isDone: async () => {
        const now = await readOrder(ctx, orderId);
        seen.push(now.remains);
        return now.status !== 'In progress';
      },
    });
    expect(seen).toEqual([250, 150, 50, 0]);
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Completed',
      remains: 0,
      refunded_units: 0,
    });
    await expectLedgerOk(ctx);
  });

  it('a service created without a backend is the operator queue: the simulator never delivers it', async () => {
    const { ctx, clock } = db();
    const orderId = await order(DEFAULTED, POST('Untouched01'), 100);
    const worker = testWorker(ctx);
    await drive(worker, clock, { stepMs: 5_000, maxRounds: 10 });
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Pending',
      remains: 100,
      backend: 'operator',
    });
    // Parked: further rounds do not even claim it.
    expect(await worker.runOnce()).toBe(0);
    const queue = await listOperatorQueue(ctx, { limit: 500 });
    expect(queue.find((queued) => queued.orderId === orderId)).toMatchObject({
      status: 'Pending',
      remains: 100,
    });
    const recorded = await recordOrderProgress(ctx, {
      orderId,
      deliveredQuantity: 100,
      startCount: 77,
      actor: 'test',
    });
    expect(recorded).toMatchObject({ status: 'Completed', remains: 0, startCount: 77 });
    expect((await listOperatorQueue(ctx, { limit: 500 })).some((queued) => queued.orderId === orderId)).toBe(
      false,
    );
  });

  describe('cancel with the exact refunds (contract §9)', () => {
    // charge 35000 units for 1000; delivered 0, 10 (1%), 490 (49%), 500 (50%), 1000 (100%).
    const cases = [
      { delivered: 0, status: 'Canceled', refund: 35_000 },
      { delivered: 10, status: 'Partial', refund: 17_325 }, // 35000 × 990/1000 × 0.5
      { delivered: 490, status: 'Partial', refund: 8_925 }, // 35000 × 510/1000 × 0.5
      { delivered: 500, status: 'Partial', refund: 0 },
    ] as const;
    for (const testCase of cases) {
      it(`at ${testCase.delivered / 10}% delivered: ${testCase.status}, refund ${testCase.refund}`, async () => {
        const { ctx } = db();
        const orderId = await order(OPERATED, POST(`Cancel${testCase.delivered}x`));
        if (testCase.delivered > 0) {
          await recordOrderProgress(ctx, { orderId, deliveredQuantity: testCase.delivered, actor: 'test' });
        }
        expect(await cancelOrder(ctx, { accountId, orderId })).toMatchObject({ ok: true });
        expect(await readOrder(ctx, orderId)).toMatchObject({
          status: testCase.status,
          refunded_units: testCase.refund,
          remains: 1000 - testCase.delivered,
        });
        // Delivery stops for good: the operator can record nothing more.
        await expect(
          recordOrderProgress(ctx, { orderId, deliveredQuantity: 1, actor: 'test' }),
        ).rejects.toSatisfy((error: unknown) => isDomainError(error, 'order_not_open'));
        await expectLedgerOk(ctx);
      });
    }

    it('at 100% delivered the order is Completed and cannot be cancelled', async () => {
      const { ctx } = db();
      const orderId = await order(OPERATED, POST('Cancel1000x'));
      await recordOrderProgress(ctx, { orderId, deliveredQuantity: 1000, actor: 'test' });
      expect(await cancelOrder(ctx, { accountId, orderId })).toEqual({
        ok: false,
        refusal: { code: 'order_not_cancellable', details: { status: 'Completed' } },
      });
      expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'Completed', refunded_units: 0 });
      await expectLedgerOk(ctx);
    });
  });

  it('simulator `gone`: five failed attempts, then Partial with 50% of the undelivered part', async () => {
    const { ctx, clock } = db();
    const orderId = await order(SIMULATED, POST('goneAway123'));
    const worker = testWorker(ctx);
    await drive(worker, clock, {
      stepMs: 1_000,
      isDone: async () => (await readOrder(ctx, orderId)).status === 'Partial',
    });
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Partial',
      remains: 1000,
      failed_attempts: 5,
      refunded_units: 17_500,
    });
    await expectLedgerOk(ctx);
  });

  it('simulator `flaky`: failures are reset by each success and the order completes', async () => {
    const { ctx, clock } = db();
    const orderId = await order(SIMULATED, POST('flakyLink99'), 300);
    const worker = testWorker(ctx);
    let maxFailures = 0;
    await drive(worker, clock, {
      stepMs: 1_000,
      isDone: async () => {
        const now = await readOrder(ctx, orderId);
        maxFailures = Math.max(maxFailures, now.failed_attempts);
        return now.status !== 'In progress' && now.status !== 'Pending';
      },
    });
    expect(maxFailures).toBe(3);
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Completed',
      remains: 0,
      refunded_units: 0,
    });
  });

  it('simulator `crash`: Error after a first step, the undelivered part refunded in full', async () => {
    const { ctx, clock } = db();
    const orderId = await order(SIMULATED, POST('crashBoom01'));
    const worker = testWorker(ctx);
    await drive(worker, clock, {
      stepMs: 1_000,
      isDone: async () => (await readOrder(ctx, orderId)).status === 'Error',
    });
    // delivered 100 of 1000: refund 35000 × 900/1000.
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Error',
      remains: 900,
      refunded_units: 31_500,
    });
    await expectLedgerOk(ctx);
  });

  it('operator: five failures in a row end Partial; a success in between resets the count', async () => {
    const { ctx } = db();
    const orderId = await order(OPERATED, POST('Operated01'));
    for (let i = 0; i < 4; i++) await recordFailedAttempt(ctx, { orderId, actor: 'test' });
    expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'In progress', failed_attempts: 4 });
    await recordOrderProgress(ctx, { orderId, deliveredQuantity: 200, actor: 'test' });
    expect((await readOrder(ctx, orderId)).failed_attempts).toBe(0);
    for (let i = 0; i < 4; i++) await recordFailedAttempt(ctx, { orderId, actor: 'test' });
    expect((await readOrder(ctx, orderId)).status).toBe('In progress');
    const last = await recordFailedAttempt(ctx, { orderId, actor: 'test' });
    expect(last).toMatchObject({ status: 'Partial', remains: 800, failedAttempts: 5 });
    // 35000 × 800/1000 × 0.5
    expect((await readOrder(ctx, orderId)).refunded_units).toBe(14_000);
    await expectLedgerOk(ctx);
  });

  it('operator actions refuse simulator orders and over-delivery', async () => {
    const { ctx } = db();
    const simulated = await order(SIMULATED, POST('NotYours01'));
    await expect(
      recordOrderProgress(ctx, { orderId: simulated, deliveredQuantity: 1, actor: 'test' }),
    ).rejects.toSatisfy((error: unknown) => isDomainError(error, 'order_not_operator'));
    const operated = await order(OPERATED, POST('TooMuch001'), 100);
    await expect(
      recordOrderProgress(ctx, { orderId: operated, deliveredQuantity: 101, actor: 'test' }),
    ).rejects.toSatisfy((error: unknown) => isDomainError(error, 'delivered_exceeds_remains'));
    expect((await readOrder(ctx, operated)).status).toBe('Pending');
  });

  it('a cancel stops simulated delivery for good, refunded from the delivery recorded', async () => {
    const { ctx, clock } = db();
    const orderId = await order(SIMULATED, POST('RaceCancel1'));
    const worker = testWorker(ctx);
    clock.advance(1_000);
    await worker.runOnce(); // started
    clock.advance(1_000);
    await worker.runOnce(); // 100 delivered
    expect((await readOrder(ctx, orderId)).remains).toBe(900);
    expect(await cancelOrder(ctx, { accountId, orderId })).toMatchObject({ ok: true });
    clock.advance(1_000);
    await worker.runOnce();
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Partial',
      remains: 900,
      refunded_units: 15_750,
    });
    await expectLedgerOk(ctx);
  });

  it('the real loop (start/stop) delivers on its own and stops cleanly', async () => {
    const { ctx } = db();
    const orderId = await order(SIMULATED, POST('LoopRuns01'), 300);
    const worker = testWorker(
      ctx,
      testSettings({ pollMs: 5, simulator: { startDelayMs: 0, stepMs: 0, stepUnits: 100 } }),
    );
    worker.start();
    try {
      for (let i = 0; i < 2_000 && (await readOrder(ctx, orderId)).status !== 'Completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await worker.stop();
    }
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Completed',
      remains: 0,
      lease_owner: null,
    });
  });

  it("a dead worker's lease holds its orders until it ends, then another worker takes them", async () => {
    const { ctx, clock } = db();
    const orderId = await order(SIMULATED, POST('DeadLease01'));
    clock.advance(1_000);
    const settings = testSettings();
    const claimed = await claimDueOrders(ctx.db, ctx.kind, {
      owner: 'dead-worker',
      nowMs: clock.now(),
      leaseMs: settings.leaseMs,
      limit: 1_000,
    });
    expect(claimed.map((row) => row.id)).toContain(orderId);
    const worker = testWorker(ctx, settings);
    await worker.runOnce();
    expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'Pending', lease_owner: 'dead-worker' });
    clock.advance(settings.leaseMs);
    await worker.runOnce();
    expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'In progress', lease_owner: null });
    await drive(worker, clock, {
      stepMs: 1_000,
      isDone: async () => (await readOrder(ctx, orderId)).status === 'Completed',
    });
    expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'Completed', remains: 0, version: 11 });
  });

  it('a step decided before a cancel committed is dropped, not applied (contract §8)', async () => {
    const { ctx } = db();
    const orderId = await order(OPERATED, POST('StaleStep01'));
    await recordOrderProgress(ctx, { orderId, deliveredQuantity: 100, actor: 'test' });
    const readByWorker = await readOrder(ctx, orderId);
    expect(await cancelOrder(ctx, { accountId, orderId })).toMatchObject({ ok: true });
    const outcome = await applyReport(ctx, {
      orderId,
      expectVersion: readByWorker.version,
      report: { kind: 'deliver', units: 900 },
    });
    expect(outcome).toBe('stale');
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Partial',
      remains: 900,
      refunded_units: 15_750,
    });
    await expectLedgerOk(ctx);
  });
});
