import { afterAll, beforeAll, expect, it } from 'vitest';
import { cancelOrderAsAdmin } from '../src/app/cancel-order-as-admin.js';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { getBusinessReport } from '../src/app/get-business-report.js';
import { createCustomer } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { importUpstreamService } from './support/cost-fixtures.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder, readOrder, testSettings, testWorker } from './support/engine.js';
import { type FakeOrder, FakeProvider } from './support/fake-provider.js';

const KEY = 'cancel-cost-key-0123456789abcdef';

/**
 * We cancel an order the upstream already has; the upstream answers later (its refund, or its
 * refusal to cancel). Our order's status and refund stay as our cancel decided them, and its
 * cost follows the upstream's final answer, over real HTTP on loopback.
 */
describeEachDatabase('the cost of an order we cancelled after sending it upstream', (db) => {
  const upstream = new FakeProvider(KEY);
  let serviceId = 0;
  let accountId = 0;
  let linkCount = 0;

  beforeAll(async () => {
    await upstream.start();
    upstream.services = [
      { service: 51, name: 'Views', category: 'Instagram Views', rate: '1.00', min: 10, max: 10000 },
    ];
    // Billed in USD, counted at 0.9 EUR per dollar.
    serviceId = await importUpstreamService(db().ctx, {
      name: 'refunder',
      url: upstream.url,
      apiKey: KEY,
      eurRate: '0.9',
    });
    // The upstream's service list does not say it cancels; the operator says so.
    await db().ctx.db.updateTable('services').set({ can_cancel: 1 }).where('id', '=', serviceId).execute();
    accountId = (await createCustomer(db(), 100_000_000)).id;
  });
  afterAll(() => upstream.stop());

  const worker = () => testWorker(db().ctx, testSettings());
  const round = async () => {
    db().clock.advance(10_000);
    await worker().runOnce();
  };
  const statusCallsFor = (placed: FakeOrder) =>
    upstream.callsOf('status').filter((call) => call.params.orders?.split(',').includes(String(placed.id)))
      .length;

  async function placeUpstream(quantity: number): Promise<{ orderId: number; placed: FakeOrder }> {
    linkCount++;
    const link = `https://www.instagram.com/p/CancelCost${String(linkCount).padStart(3, '0')}/`;
    const orderId = await placeTestOrder(db().ctx, { accountId, serviceId, link, quantity });
    await worker().runOnce();
    const placed = upstream.orderFor(orderId);
    if (!placed) throw new Error('the upstream never got the order');
    return { orderId, placed };
  }

  it('a customer cancel: the cost falls to what the upstream charges once it refunds', async () => {
    const { orderId, placed } = await placeUpstream(1000);
    placed.entry = {
      status: 'In progress',
      remains: '1000',
      start_count: '5',
      charge: '1.00',
      currency: 'USD',
    };
    await round();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({ status: 'In progress', cost_units: 9_000 });

    expect(await cancelOrder(db().ctx, { accountId, orderId })).toMatchObject({ ok: true });
    const cancelled = await readOrder(db().ctx, orderId);
    await round();
    expect(upstream.callsOf('cancel').filter((c) => c.params.orders === String(placed.id))).toHaveLength(1);
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      upstream_state: 'cancel_sent',
      cost_units: 9_000,
    });

    // The upstream is still winding the order down: nothing final yet, the cost stands.
    placed.entry = {
      status: 'In progress',
      remains: '700',
      start_count: '5',
      charge: '1.00',
      currency: 'USD',
    };
    await round();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      upstream_state: 'cancel_sent',
      cost_units: 9_000,
    });

    // It stopped at 300 delivered and refunded the rest: 0.30 USD, 0.2700 EUR.
    placed.entry = { status: 'Partial', remains: '700', start_count: '5', charge: '0.30', currency: 'USD' };
    await round();
    const settled = await readOrder(db().ctx, orderId);
    expect(settled).toMatchObject({
      status: cancelled.status,
      remains: cancelled.remains,
      refunded_units: cancelled.refunded_units,
      upstream_charge: '0.3',
      cost_units: 2_700,
      upstream_state: 'closed',
    });
    const polls = statusCallsFor(placed);
    await round();
    expect(statusCallsFor(placed)).toBe(polls);
    expect(upstream.callsOf('cancel').filter((c) => c.params.orders === String(placed.id))).toHaveLength(1);
    await expectLedgerOk(db());
  });

  it('an admin cancel of an order never polled: the upstream refunds it all, the cost is 0', async () => {
    const { orderId, placed } = await placeUpstream(500);
    const result = await cancelOrderAsAdmin(db().ctx, { orderId, actor: 'admin@example.com' });
    // 500 at 1.1700 EUR per 1000 (1.00 USD × 0.9 × 1.30), refunded whole.
    expect(result).toMatchObject({ status: 'Canceled', refundUnits: 5_850 });
    await round();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      upstream_state: 'cancel_sent',
      cost_units: null,
    });
    placed.entry = { status: 'Canceled', remains: '500', start_count: '0', charge: '0', currency: 'USD' };
    await round();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      status: 'Canceled',
      refunded_units: 5_850,
      upstream_charge: '0',
      cost_units: 0,
      upstream_state: 'closed',
    });
    await expectLedgerOk(db());
  });

  it('an upstream that delivers all the same keeps its whole charge as our cost', async () => {
    const { orderId, placed } = await placeUpstream(200);
    expect(await cancelOrder(db().ctx, { accountId, orderId })).toMatchObject({ ok: true });
    await round();
    placed.entry = { status: 'Completed', remains: '0', start_count: '9', charge: '0.20', currency: 'USD' };
    await round();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      status: 'Canceled',
      refunded_units: 2_340,
      upstream_charge: '0.2',
      cost_units: 1_800,
      upstream_state: 'closed',
    });
  });

  it('a hostile or missing answer after the cancel moves no money and is given up in time', async () => {
    const { orderId, placed } = await placeUpstream(300);
    placed.entry = { status: 'Pending', remains: '300', start_count: '0', charge: '0.30', currency: 'USD' };
    await round();
    expect(await cancelOrder(db().ctx, { accountId, orderId })).toMatchObject({ ok: true });
    await round();
    placed.entry = { status: 'Canceled', remains: '9999', charge: '0.00' };
    await round();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({
      upstream_state: 'cancel_sent',
      cost_units: 2_700,
      retry_count: 1,
    });
    // Past the give-up time (60 s in tests) the order is closed upstream with the cost it had.
    for (let i = 0; i < 12; i++) await round();
    expect(await readOrder(db().ctx, orderId)).toMatchObject({ upstream_state: 'closed', cost_units: 2_700 });
    await expectLedgerOk(db());
  });

  it("the report's cost and margin follow the upstream's answers", async () => {
    const report = await getBusinessReport(db().ctx, {});
    const orders = await db().ctx.db.selectFrom('orders').select(['cost_units']).execute();
    const cost = orders.reduce((sum, o) => sum + Number(o.cost_units ?? 0), 0);
    expect(cost).toBe(2_700 + 0 + 1_800 + 2_700);
    expect(report.totals.costUnits).toBe(cost);
    expect(report.totals.marginUnits).toBe(report.totals.chargeUnits - report.totals.refundedUnits - cost);
  });
});
