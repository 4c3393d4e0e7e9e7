import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { getBusinessReport } from '../src/app/get-business-report.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { createService } from '../src/app/save-service.js';
import { createCustomer } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { HAND_MADE_COMMENTS, importUpstreamService } from './support/cost-fixtures.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder, readOrder, testSettings, testWorker } from './support/engine.js';
import { FakeProvider } from './support/fake-provider.js';

const KEY = 'cost-secret-key-0123456789abcdef';
const LINK = 'https://www.instagram.com/p/Cost0001/';

describeEachDatabase('order cost and the business report', (db) => {
  const upstream = new FakeProvider(KEY);
  let upstreamServiceId = 0;
  let operatorServiceId = 0;
  let accountId = 0;
  let otherAccountId = 0;

  beforeAll(async () => {
    await upstream.start();
    upstream.services = [
      { service: 41, name: 'Likes', category: 'Instagram Likes', rate: '1.00', min: 10, max: 10000 },
    ];
    // The provider bills in USD; the operator counts 0.9 EUR per dollar.
    upstreamServiceId = await importUpstreamService(db().ctx, {
      name: 'costly',
      url: upstream.url,
      apiKey: KEY,
      eurRate: '0.9',
    });
    const own = await createService(db().ctx, { fields: HAND_MADE_COMMENTS, actor: 't' });
    operatorServiceId = own.id;
    accountId = (await createCustomer(db(), 100_000_000)).id;
    otherAccountId = (await createCustomer(db(), 100_000_000)).id;
  });
  afterAll(() => upstream.stop());

  const worker = () => testWorker(db().ctx, testSettings());
  const poll = async () => {
    db().clock.advance(10_000);
    await worker().runOnce();
  };

  it('records what the upstream charged, and lowers it as the upstream refunds', async () => {
    const orderId = await placeTestOrder(db().ctx, {
      accountId,
      serviceId: upstreamServiceId,
      link: LINK,
      quantity: 1000,
    });
    await worker().runOnce();
    const placed = upstream.orderFor(orderId);
    if (!placed) throw new Error('the upstream never got the order');
    placed.entry = {
      status: 'In progress',
      remains: '1000',
      start_count: '5',
      charge: '1.00',
      currency: 'USD',
    };
    await poll();
    // Our rate: 1.00 USD × 0.9 EUR/USD × 1.30 = 1.1700 EUR per 1000. The cost: 1.00 USD × 0.9 = 0.9000 EUR.
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      upstream_charge: '1',
      cost_units: 9_000,
      charge_units: 11_700,
    });
    placed.entry = { status: 'Partial', remains: '400', start_count: '5', charge: '0.60', currency: 'USD' };
    await poll();
    const ended = await readOrder(db().ctx, orderId);
    // Our refund (contract §9, given up upstream): half the undelivered 40% of 1.1700; the
    // upstream's: down to 0.60 USD, 0.5400 EUR.
    expect(ended).toMatchObject({
      status: 'Partial',
      refunded_units: 2_340,
      upstream_charge: '0.6',
      cost_units: 5_400,
    });
    expect(ended.charge_units - ended.refunded_units - (ended.cost_units ?? 0)).toBe(3_960);
    await expectLedgerOk(db());
  });

  it('keeps a charge that does not go down, and ignores one that is not a decimal', async () => {
    const orderId = await placeTestOrder(db().ctx, {
      accountId: otherAccountId,
      serviceId: upstreamServiceId,
      link: LINK,
      quantity: 500,
    });
    await worker().runOnce();
    const placed = upstream.orderFor(orderId);
    if (!placed) throw new Error('the upstream never got the order');
    placed.entry = { status: 'In progress', remains: '500', start_count: '1', charge: '0.50' };
    await poll();
    placed.entry = { status: 'In progress', remains: '300', start_count: '1', charge: '9.99' };
    await poll();
    placed.entry = { status: 'Completed', remains: '0', start_count: '1', charge: '1e9' };
    await poll();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      status: 'Completed',
      upstream_charge: '0.5',
      cost_units: 4_500,
    });
  });

  it('costs an operator-queue order what was delivered at its cost per 1,000', async () => {
    const orderId = await placeTestOrder(db().ctx, {
      accountId,
      serviceId: operatorServiceId,
      link: LINK,
      quantity: 100,
    });
    await worker().runOnce();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({ cost_units: 0, cost_per_1000_units: 20_000 });
    await recordOrderProgress(db().ctx, { orderId, deliveredQuantity: 30, actor: 'op' });
    expect((await readOrder(db().ctx, orderId)).cost_units).toBe(600);
    // The customer cancels the rest: 70 refunded, the cost stays at the 30 delivered.
    expect(await cancelOrder(db().ctx, { accountId, orderId })).toMatchObject({ ok: true });
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      status: 'Partial',
      remains: 70,
      cost_units: 600,
    });
    await expectLedgerOk(db());
  });

  it('reports totals equal to the ledger, the same in every table', async () => {
    const report = await getBusinessReport(db().ctx, {});
    const ledger = await db()
      .ctx.db.selectFrom('ledger_entries')
      .select(['kind', 'amount_units'])
      .where('order_id', 'is not', null)
      .execute();
    const charged = -ledger
      .filter((e) => e.kind === 'charge')
      .reduce((sum, e) => sum + Number(e.amount_units), 0);
    const refunded = ledger
      .filter((e) => e.kind === 'refund')
      .reduce((sum, e) => sum + Number(e.amount_units), 0);
    const orders = await db().ctx.db.selectFrom('orders').select(['cost_units']).execute();
    const cost = orders.reduce((sum, o) => sum + Number(o.cost_units ?? 0), 0);
    expect(report.totals).toMatchObject({
      orders: 3,
      chargeUnits: charged,
      refundedUnits: refunded,
      costUnits: cost,
      marginUnits: charged - refunded - cost,
    });
    for (const table of [report.days, report.services, report.providers, report.customers]) {
      const sum = (pick: (l: (typeof table)[number]) => number) => table.reduce((s, l) => s + pick(l), 0);
      expect(sum((l) => l.chargeUnits)).toBe(charged);
      expect(sum((l) => l.refundedUnits)).toBe(refunded);
      expect(sum((l) => l.costUnits)).toBe(cost);
    }
    expect(report.providers.map((p) => p.key).sort()).toEqual(['', 'costly']);
    expect(report.losingServices).toEqual([]);
  });

  describe('a period', () => {
    it('counts an order on its Rome day and leaves out the days before', async () => {
      const report = await getBusinessReport(db().ctx, {});
      const today = report.days.at(-1);
      expect(today?.orders).toBe(3);
      const yesterday = new Date(db().clock.now() - 86_400_000 * 40).toISOString().slice(0, 10);
      const earlier = await getBusinessReport(db().ctx, { fromDay: yesterday, toDay: yesterday });
      expect(earlier.totals.orders).toBe(0);
      await expect(getBusinessReport(db().ctx, { fromDay: '2026-02-30x' })).rejects.toThrow(
        'report_period_invalid',
      );
    });
  });
});
