import { afterAll, beforeAll, expect, it } from 'vitest';
import { findOrderRuns } from '../src/storage/order-runs-repository.js';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { balanceOf, expectLedgerOk, snapshot, storedOrder } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { testWorker } from './support/engine.js';

const POST = 'https://www.instagram.com/p/DripApi01/';
const NOT_SUPPORTED = { error: 'Drip-feed is not supported for this service' };
const RUNS_ERROR = { error: 'Runs out of range (min 2, max 100)' };
const INTERVAL_ERROR = { error: 'Interval out of range (min 1, max 1440)' };

/** contract §13: drip-feed over /api/v2. */
describeEachDatabase('api v2: drip-feed', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  const DRIP = 1201;
  const PLAIN = 1202;

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    // rate 3.5000, min 25, max 5000 per run.
    await createTestService(db(), { isDripfeed: true, backend: 'simulator' }, DRIP);
    await createTestService(db(), { name: 'Plain', backend: 'simulator' }, PLAIN);
  });
  afterAll(() => stop());

  async function customer(balanceUnits = 10_000_000) {
    const created = await createCustomer(db(), balanceUnits);
    const call = (params: Record<string, unknown>, init?: Parameters<typeof callApi>[2]) =>
      callApi(baseUrl, { key: created.apiKey, ...params }, init);
    const add = (params: Record<string, unknown>, init?: Parameters<typeof callApi>[2]) =>
      call({ action: 'add', service: DRIP, link: POST, quantity: 100, ...params }, init);
    return { ...created, call, add };
  }

  it('the catalog’s dripfeed tells the truth per service', async () => {
    const { call } = await customer();
    const services = (await call({ action: 'services' })).body as { service: number; dripfeed: boolean }[];
    expect(services.find((s) => s.service === DRIP)?.dripfeed).toBe(true);
    expect(services.find((s) => s.service === PLAIN)?.dripfeed).toBe(false);
  });

  it('places runs × quantity, charged at once, and status shows the whole order', async () => {
    const { add, call, id } = await customer();
    const before = await balanceOf(db(), id);
    const response = await add({ runs: '10', interval: '30' });
    const orderId = (response.body as { order: number }).order;
    expect(typeof orderId).toBe('number');
    // 10 × 100 at 3.5000 per 1000: 3.5000.
    expect(await balanceOf(db(), id)).toBe(before - 35_000);
    expect(await storedOrder(db(), orderId)).toMatchObject({ quantity: 1000, remains: 1000, runs: 10 });
    expect((await findOrderRuns(db().ctx.db, orderId)).length).toBe(10);
    expect((await call({ action: 'status', order: orderId })).body).toEqual({
      charge: '3.5000',
      start_count: '0',
      status: 'Pending',
      remains: '1000',
      currency: 'EUR',
    });
    await expectLedgerOk(db());
  });

  it('on a service that is not drip-feed, runs or interval are refused and nothing is placed', async () => {
    const { add } = await customer();
    const before = await snapshot(db());
    for (const extra of [{ runs: 5, interval: 10 }, { runs: 5 }, { interval: 10 }, { runs: 'abc' }]) {
      expect((await add({ service: PLAIN, ...extra })).body).toEqual(NOT_SUPPORTED);
    }
    expect(await snapshot(db())).toEqual(before);
  });

  it('bad runs and interval get the exact texts, checked as strictly as quantity', async () => {
    const { add } = await customer();
    const before = await snapshot(db());
    for (const runs of [0, 1, 101, '0', '1', '101', '2.5', 'abc', '', ' 5', '+5', '-2', '1e1', [5]]) {
      expect((await add({ runs, interval: 10 })).body, `runs ${JSON.stringify(runs)}`).toEqual(RUNS_ERROR);
    }
    for (const interval of [0, 1441, '0', '1441', '2.5', 'abc', '0x10', [10]]) {
      expect((await add({ runs: 5, interval })).body, `interval ${JSON.stringify(interval)}`).toEqual(
        INTERVAL_ERROR,
      );
    }
    // One without the other: the missing one is out of range (contract §6's rule for quantity).
    expect((await add({ runs: 5 })).body).toEqual(INTERVAL_ERROR);
    expect((await add({ interval: 5 })).body).toEqual(RUNS_ERROR);
    // The quantity is per run, checked against the service's own range first.
    expect((await add({ quantity: 10, runs: 5, interval: 10 })).body).toEqual({
      error: 'Quantity out of range (min 25, max 5000)',
    });
    expect(await snapshot(db())).toEqual(before);
    // Leading zeros are still plain digits, as for quantity.
    const padded = await add({ runs: '0005', interval: '0010' });
    expect(padded.body).toEqual({ order: expect.any(Number) });
    expect(await storedOrder(db(), (padded.body as { order: number }).order)).toMatchObject({
      quantity: 500,
      runs: 5,
      interval_minutes: 10,
    });
    expect((await add({ runs: '2', interval: '1' })).body).toEqual({ order: expect.any(Number) });
    expect((await add({ runs: 100, interval: 1440 })).body).toEqual({ order: expect.any(Number) });
  });

  it('the balance check is on the total of all runs', async () => {
    // 0.3500 is enough for one run of 100, not for 2.
    const { add, id } = await customer(3_500);
    expect((await add({ runs: 2, interval: 10 })).body).toEqual({
      error: 'Insufficient balance. Required: €0.7000, Available: €0.3500',
    });
    expect(await balanceOf(db(), id)).toBe(3_500);
    expect((await add({})).body).toEqual({ order: expect.any(Number) });
    expect(await balanceOf(db(), id)).toBe(0);
    await expectLedgerOk(db());
  });

  it('Idempotency-Key: the same drip-feed add replays; other runs are a reuse', async () => {
    const { add, id } = await customer();
    const headers = { 'idempotency-key': 'drip-key-1' };
    const first = await add({ runs: 3, interval: 10 }, { headers });
    const again = await add({ runs: 3, interval: 10 }, { headers });
    expect(again.body).toEqual(first.body);
    expect((await add({ runs: 4, interval: 10 }, { headers })).body).toEqual({
      error: 'Idempotency key reused with different parameters',
    });
    expect((await add({}, { headers })).body).toEqual({
      error: 'Idempotency key reused with different parameters',
    });
    expect(await balanceOf(db(), id)).toBe(10_000_000 - 10_500);
  });

  it('cancel between runs through the API: the refund policy on the whole order', async () => {
    const { add, call, id } = await customer();
    const orderId = ((await add({ runs: 4, interval: 60 })).body as { order: number }).order;
    const worker = testWorker(db().ctx);
    for (let i = 0; i < 3; i++) {
      db().clock.advance(1_000);
      await worker.runOnce();
    }
    const status = (await call({ action: 'status', order: orderId })).body as Record<string, string>;
    expect(status).toMatchObject({ status: 'In progress', remains: '300' });
    const before = await balanceOf(db(), id);
    expect((await call({ action: 'cancel', order: orderId })).body).toEqual({ [orderId]: 1 });
    // 100 of 400 delivered (25%): 50% of the undelivered part, 14000 × 300 / 400 × 0.5 = 5250.
    expect(await balanceOf(db(), id)).toBe(before + 5_250);
    expect((await call({ action: 'status', order: orderId })).body).toMatchObject({
      status: 'Partial',
      remains: '300',
      charge: '0.8750',
    });
    await expectLedgerOk(db());
  });
});
