import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { placeOrder } from '../src/app/place-order.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { findOrderRuns } from '../src/storage/order-runs-repository.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { balanceOf, expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { readOrder, testWorker } from './support/engine.js';
import { FakeProvider } from './support/fake-provider.js';

const MINUTE = 60_000;
const UPSTREAM_KEY = 'drip-upstream-key-0123456789';
const POST = (code: string) => `https://www.instagram.com/p/${code}/`;

describeEachDatabase('engine drip-feed', (db) => {
  const provider = new FakeProvider(UPSTREAM_KEY);
  let accountId = 0;
  const SIMULATED = 701;
  const OPERATED = 702;
  const UPSTREAM = 703;

  beforeAll(async () => {
    await provider.start();
    accountId = (await createCustomer(db(), 100_000_000)).id;
    // rate 3.5000 per 1000: 3 runs of 100 cost 300 × 3.5 / 1000 = 1.0500 (10500 units).
    const drip = { isDripfeed: true, minQuantity: 10, maxQuantity: 10_000 };
    await createTestService(db(), { ...drip, backend: 'simulator' }, SIMULATED);
    await createTestService(db(), { ...drip, backend: 'operator' }, OPERATED);
    await addProvider(db().ctx, { name: 'dripup', url: provider.url, apiKey: UPSTREAM_KEY, actor: 't' });
    await createTestService(db(), { ...drip, backend: 'upstream:dripup', upstreamServiceId: '11' }, UPSTREAM);
  });
  afterAll(() => provider.stop());

  const place = async (serviceId: number, link: string, runs = 3, intervalMinutes = 10) =>
    (
      await placeOrder(db().ctx, {
        accountId,
        serviceId,
        link,
        quantity: 100,
        comments: undefined,
        runs,
        intervalMinutes,
      })
    ).orderId;
  const runsOf = async (orderId: number) =>
    (await findOrderRuns(db().ctx.db, orderId)).map((run) => ({
      run: run.run_number,
      status: run.status,
      delivered: run.delivered,
    }));

  it('charges all runs at once and stores the schedule', async () => {
    const before = await balanceOf(db(), accountId);
    const orderId = await place(SIMULATED, POST('DripCharge1'));
    const order = await readOrder(db().ctx, orderId);
    expect(order).toMatchObject({
      quantity: 300,
      remains: 300,
      runs: 3,
      interval_minutes: 10,
      charge_units: 10_500,
    });
    expect(await balanceOf(db(), accountId)).toBe(before - 10_500);
    const runs = await findOrderRuns(db().ctx.db, orderId);
    expect(
      runs.map((run) => [run.run_number, run.quantity, run.due_at - order.created_at, run.status]),
    ).toEqual([
      [1, 100, 0, 'waiting'],
      [2, 100, 10 * MINUTE, 'waiting'],
      [3, 100, 20 * MINUTE, 'waiting'],
    ]);
    await cancelOrder(db().ctx, { accountId, orderId });
    await expectLedgerOk(db().ctx);
  });

  it('simulator: each run delivered on schedule, never before it is due', async () => {
    const { ctx, clock } = db();
    const orderId = await place(SIMULATED, POST('DripSimul01'));
    const worker = testWorker(ctx);
    await worker.runOnce();
    expect((await readOrder(ctx, orderId)).status).toBe('Pending');
    clock.advance(1_000); // the simulator's start delay
    await worker.runOnce();
    expect((await readOrder(ctx, orderId)).status).toBe('In progress');
    clock.advance(1_000);
    await worker.runOnce();
    expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'In progress', remains: 200 });
    expect(await runsOf(orderId)).toEqual([
      { run: 1, status: 'done', delivered: 100 },
      { run: 2, status: 'waiting', delivered: 0 },
      { run: 3, status: 'waiting', delivered: 0 },
    ]);
    // Minute after minute until just before run 2 is due: nothing more is delivered.
    for (let minute = 1; minute < 10; minute++) {
      clock.advance(MINUTE - (minute === 1 ? 2_000 : 0));
      await worker.runOnce();
    }
    expect((await readOrder(ctx, orderId)).remains).toBe(200);
    clock.advance(MINUTE);
    await worker.runOnce();
    expect((await readOrder(ctx, orderId)).remains).toBe(100);
    clock.advance(10 * MINUTE);
    await worker.runOnce();
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Completed',
      remains: 0,
      refunded_units: 0,
    });
    expect((await runsOf(orderId)).every((run) => run.status === 'done')).toBe(true);
    await expectLedgerOk(ctx);
  });

  it('cancel between runs: contract §9 on the whole order, the remaining runs stopped', async () => {
    const { ctx, clock } = db();
    const orderId = await place(SIMULATED, POST('DripCancel1'));
    const worker = testWorker(ctx);
    clock.advance(1_000);
    await worker.runOnce();
    clock.advance(1_000);
    await worker.runOnce();
    expect((await readOrder(ctx, orderId)).remains).toBe(200);
    const before = await balanceOf(db(), accountId);
    expect(await cancelOrder(ctx, { accountId, orderId })).toMatchObject({ ok: true });
    // 100 of 300 delivered (< 50%): 50% of the undelivered part, 10500 × 200 / 300 × 0.5 = 3500.
    expect(await readOrder(ctx, orderId)).toMatchObject({
      status: 'Partial',
      remains: 200,
      refunded_units: 3_500,
    });
    expect(await balanceOf(db(), accountId)).toBe(before + 3_500);
    expect(await runsOf(orderId)).toEqual([
      { run: 1, status: 'done', delivered: 100 },
      { run: 2, status: 'stopped', delivered: 0 },
      { run: 3, status: 'stopped', delivered: 0 },
    ]);
    clock.advance(30 * MINUTE);
    await worker.runOnce();
    expect((await readOrder(ctx, orderId)).remains).toBe(200);
    await expectLedgerOk(ctx);
  });

  it('a cancel racing the start of a run: one of them wins, never both, never a double refund', async () => {
    const { ctx, clock } = db();
    const orderIds: number[] = [];
    for (let i = 0; i < 6; i++) orderIds.push(await place(SIMULATED, POST(`DripRace0${i}`)));
    const worker = testWorker(ctx);
    clock.advance(1_000);
    await worker.runOnce();
    clock.advance(1_000);
    await worker.runOnce();
    for (const orderId of orderIds) expect((await readOrder(ctx, orderId)).remains).toBe(200);
    clock.advance(10 * MINUTE);
    // Run 2 is due for all: a worker round and the cancels go at once.
    const [, ...cancels] = await Promise.all([
      worker.runOnce(),
      ...orderIds.map((orderId) => cancelOrder(ctx, { accountId, orderId })),
    ]);
    expect(cancels.every((outcome) => outcome.ok)).toBe(true);
    for (const orderId of orderIds) {
      const order = await readOrder(ctx, orderId);
      expect(order.status).toBe('Partial');
      // Either run 2 got in first (200 delivered, ≥ 50%: nothing back) or the cancel did (3500 back).
      expect([
        [100, 0],
        [200, 3_500],
      ]).toContainEqual([order.remains, order.refunded_units]);
      const runs = await runsOf(orderId);
      expect(runs.filter((run) => run.status === 'done')).toHaveLength(order.remains === 100 ? 2 : 1);
    }
    clock.advance(30 * MINUTE);
    await worker.runOnce();
    for (const orderId of orderIds) expect((await readOrder(ctx, orderId)).status).toBe('Partial');
    await expectLedgerOk(ctx);
  });

  it('operator: a person delivers each run, and a run that is not due is refused', async () => {
    const { ctx, clock } = db();
    const orderId = await place(OPERATED, POST('DripOper001'));
    await testWorker(ctx).runOnce();
    await recordOrderProgress(ctx, { orderId, deliveredQuantity: 100, startCount: 50, actor: 'op' });
    await expect(
      recordOrderProgress(ctx, { orderId, deliveredQuantity: 1, actor: 'op' }),
    ).rejects.toMatchObject({
      code: 'drip_run_not_due',
      details: { orderId, runNumber: 2 },
    });
    clock.advance(20 * MINUTE);
    // Both later runs are due: a person who fell behind may deliver them together.
    await recordOrderProgress(ctx, { orderId, deliveredQuantity: 200, actor: 'op' });
    expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'Completed', start_count: 50, remains: 0 });
    await expectLedgerOk(ctx);
  });

  describe('upstream', () => {
    const keyOf = (orderId: number, run: number) => `inspiria-order-${orderId}-run-${run}`;
    const upstreamRun = (orderId: number, run: number) =>
      [...provider.orders.values()].find((order) => order.idempotencyKey === keyOf(orderId, run));
    const round = async (advanceMs: number) => {
      db().clock.advance(advanceMs);
      await testWorker(db().ctx).runOnce();
    };

    it('one upstream order per run, quantity per run, no runs sent, each when due', async () => {
      const { ctx } = db();
      const orderId = await place(UPSTREAM, POST('DripUpstr01'));
      await round(0);
      const first = upstreamRun(orderId, 1);
      expect(first).toMatchObject({ service: '11', quantity: 100 });
      const add = provider.callsOf('add').find((call) => call.params.link?.includes('DripUpstr01'));
      expect(add?.params.runs).toBeUndefined();
      expect(add?.params.interval).toBeUndefined();
      if (!first) return;
      first.entry = { status: 'In progress', remains: '40', start_count: '777' };
      await round(10_000);
      expect(await readOrder(ctx, orderId)).toMatchObject({
        status: 'In progress',
        remains: 240,
        start_count: 777,
      });
      first.entry = { status: 'Completed', remains: '0', start_count: '777' };
      await round(10_000);
      expect(await readOrder(ctx, orderId)).toMatchObject({
        status: 'In progress',
        remains: 200,
        upstream_order_id: null,
      });
      await round(MINUTE);
      expect(upstreamRun(orderId, 2)).toBeUndefined();
      await round(10 * MINUTE);
      const second = upstreamRun(orderId, 2);
      expect(second).toMatchObject({ quantity: 100 });
      if (!second) return;
      second.entry = { status: 'Completed', remains: '0', start_count: '900' };
      await round(10_000);
      expect(await readOrder(ctx, orderId)).toMatchObject({ remains: 100, start_count: 777 });
      await round(10 * MINUTE);
      const third = upstreamRun(orderId, 3);
      if (!third) throw new Error('run 3 not placed');
      third.entry = { status: 'Completed', remains: '0' };
      await round(10_000);
      expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'Completed', remains: 0 });
      const runs = await findOrderRuns(ctx.db, orderId);
      expect(runs.map((run) => [run.status, run.upstream_order_id])).toEqual([
        ['done', String(first.id)],
        ['done', String(second.id)],
        ['done', String(third.id)],
      ]);
      const adds = provider.callsOf('add').filter((call) => call.params.link?.includes('DripUpstr01'));
      expect(adds).toHaveLength(3);
      await expectLedgerOk(ctx);
    });

    it('a run that keeps failing upstream ends the order Error, every remaining run refunded', async () => {
      const { ctx } = db();
      const orderId = await place(UPSTREAM, POST('DripUpFail1'));
      await round(0);
      const first = upstreamRun(orderId, 1);
      if (!first) throw new Error('run 1 not placed');
      first.entry = { status: 'Completed', remains: '0' };
      await round(10_000);
      provider.override = (action, params) =>
        action === 'add' && params.link?.includes('DripUpFail1')
          ? { body: '{"error":"Not enough funds on balance"}' }
          : undefined;
      try {
        await round(10 * MINUTE);
        expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'In progress', retry_count: 1 });
        // testSettings: give up after 60 s of failures, as for an ordinary upstream order.
        for (let i = 0; i < 12 && (await readOrder(ctx, orderId)).status === 'In progress'; i++)
          await round(10_000);
      } finally {
        provider.override = undefined;
      }
      // contract §9, internal failure: the whole undelivered part, 10500 × 200 / 300 = 7000.
      expect(await readOrder(ctx, orderId)).toMatchObject({
        status: 'Error',
        remains: 200,
        refunded_units: 7_000,
      });
      expect(await runsOf(orderId)).toEqual([
        { run: 1, status: 'done', delivered: 100 },
        { run: 2, status: 'stopped', delivered: 0 },
        { run: 3, status: 'stopped', delivered: 0 },
      ]);
      await expectLedgerOk(ctx);
    });

    it('cancel while a run is open upstream forwards the cancel of that run', async () => {
      const { ctx } = db();
      const orderId = await place(UPSTREAM, POST('DripUpCanc1'));
      await round(0);
      const first = upstreamRun(orderId, 1);
      if (!first) throw new Error('run 1 not placed');
      first.entry = { status: 'In progress', remains: '100', start_count: '5' };
      await round(10_000);
      expect(await cancelOrder(ctx, { accountId, orderId })).toMatchObject({ ok: true });
      expect(await readOrder(ctx, orderId)).toMatchObject({ status: 'Canceled', refunded_units: 10_500 });
      await round(10_000);
      const cancels = provider.callsOf('cancel').map((call) => call.params.orders);
      expect(cancels).toContain(String(first.id));
      await round(30 * MINUTE);
      expect(upstreamRun(orderId, 2)).toBeUndefined();
      await expectLedgerOk(ctx);
    });

    it('two workers never start the same run twice', async () => {
      const { ctx } = db();
      const orderIds: number[] = [];
      for (let i = 0; i < 8; i++) orderIds.push(await place(UPSTREAM, POST(`DripTwoW0${i}`), 3, 1));
      const workers = [testWorker(ctx), testWorker(ctx)];
      for (let step = 0; step < 12; step++) {
        await Promise.all(workers.map((worker) => worker.runOnce()));
        for (const order of provider.orders.values()) {
          if (order.link.includes('DripTwoW')) order.entry = { status: 'Completed', remains: '0' };
        }
        db().clock.advance(20_000);
      }
      for (const orderId of orderIds) {
        expect((await readOrder(ctx, orderId)).status).toBe('Completed');
        for (const run of [1, 2, 3]) {
          const placed = [...provider.orders.values()].filter(
            (o) => o.idempotencyKey === keyOf(orderId, run),
          );
          expect(placed).toHaveLength(1);
        }
      }
      await expectLedgerOk(ctx);
    });
  });
});
