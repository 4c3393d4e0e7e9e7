import { afterAll, beforeAll, expect, it } from 'vitest';
import { cancelOrder } from '../src/app/cancel-orders.js';
import {
  compactAllBusinessSummaries,
  compactBusinessSummaries,
} from '../src/app/compact-business-summaries.js';
import { createAppContext } from '../src/app/context.js';
import { getAdminOverview } from '../src/app/get-admin-overview.js';
import { getBusinessReport, splitIntoMonths } from '../src/app/get-business-report.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { romeDayOf } from '../src/app/report-period.js';
import { createService } from '../src/app/save-service.js';
import { ORDER_STATUSES } from '../src/domain/order-lifecycle.js';
import { backfillBusinessSummaries } from '../src/storage/migrations/017-business-summaries.js';
import type { Executor } from '../src/storage/schema.js';
import { createCustomer } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { HAND_MADE_COMMENTS, importUpstreamService } from './support/cost-fixtures.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { placeTestOrder, testSettings, testWorker } from './support/engine.js';
import { FakeProvider } from './support/fake-provider.js';

const KEY = 'summary-secret-key-0123456789abcdef';
const LINK = 'https://www.instagram.com/p/Summary01/';
const HOUR_MS = 3_600_000;

type Sums = { orders: number; charge: number; refunded: number; cost: number };

function addSums(into: Map<string, Sums>, key: string, sums: Sums): void {
  const total = into.get(key) ?? { orders: 0, charge: 0, refunded: 0, cost: 0 };
  total.orders += sums.orders;
  total.charge += sums.charge;
  total.refunded += sums.refunded;
  total.cost += sums.cost;
  into.set(key, total);
}

const sorted = (map: Map<string, unknown>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));

/** Every summary recounted from the orders and the ledger themselves. */
async function recount(db: Executor) {
  const orders = await db.selectFrom('orders').selectAll().execute();
  const services = new Map<string, Sums>();
  const accounts = new Map<string, Sums>();
  const accountMonths = new Map<string, Sums>();
  const statuses = new Map<string, number>();
  for (const order of orders) {
    const day = romeDayOf(Number(order.created_at));
    const sums = {
      orders: 1,
      charge: Number(order.charge_units),
      refunded: Number(order.refunded_units),
      cost: Number(order.cost_units ?? 0),
    };
    addSums(services, `${day}|${order.service_id}`, sums);
    addSums(accounts, `${day}|${order.account_id}`, sums);
    addSums(accountMonths, `${day.slice(0, 7)}|${order.account_id}`, sums);
    statuses.set(order.status, (statuses.get(order.status) ?? 0) + 1);
  }
  const ledger = new Map<string, number>();
  for (const entry of await db.selectFrom('ledger_entries').selectAll().execute()) {
    if (entry.kind !== 'charge' && entry.kind !== 'refund') continue;
    const key = `${Math.floor(Number(entry.created_at) / HOUR_MS)}|${entry.kind}`;
    ledger.set(key, (ledger.get(key) ?? 0) + Number(entry.amount_units));
  }
  return {
    services: sorted(services),
    accounts: sorted(accounts),
    statuses: sorted(statuses),
    ledger: sorted(ledger),
  };
}

/** The summaries as stored (after compaction), in the recount's shape. */
async function stored(db: Executor) {
  const services = new Map<string, Sums>();
  const accounts = new Map<string, Sums>();
  const sums = (row: {
    orders: number;
    charge_units: number;
    refunded_units: number;
    cost_units: number;
  }) => ({
    orders: Number(row.orders),
    charge: Number(row.charge_units),
    refunded: Number(row.refunded_units),
    cost: Number(row.cost_units),
  });
  for (const row of await db.selectFrom('order_day_service_totals').selectAll().execute())
    addSums(services, `${row.day}|${row.service_id}`, sums(row));
  for (const row of await db.selectFrom('order_day_account_totals').selectAll().execute())
    addSums(accounts, `${row.day}|${row.account_id}`, sums(row));
  const accountMonths = new Map<string, Sums>();
  for (const row of await db.selectFrom('order_month_account_totals').selectAll().execute())
    addSums(accountMonths, `${row.month}|${row.account_id}`, sums(row));
  const statuses = new Map<string, number>();
  for (const row of await db.selectFrom('order_status_counts').selectAll().execute())
    if (Number(row.orders) !== 0) statuses.set(row.status, Number(row.orders));
  const ledger = new Map<string, number>();
  for (const row of await db.selectFrom('ledger_hour_money').selectAll().execute())
    ledger.set(`${row.hour}|${row.kind}`, Number(row.amount_units));
  return {
    services: sorted(services),
    accounts: sorted(accounts),
    statuses: sorted(statuses),
    ledger: sorted(ledger),
  };
}

async function expectSummariesEqualRecount(db: TestDatabase): Promise<void> {
  await compactAllBusinessSummaries(db.ctx);
  const pending = await db.ctx.db.selectFrom('order_summary_deltas').select('id').execute();
  expect(pending).toEqual([]);
  expect(await stored(db.ctx.db)).toEqual(await recount(db.ctx.db));
}

it('splits a period into whole months and the runs of days around them', () => {
  const days = (from: string, count: number) =>
    Array.from({ length: count }, (_, i) =>
      new Date(Date.parse(`${from}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    );
  expect(splitIntoMonths(days('2026-10-01', 31))).toEqual({ months: ['2026-10'], dayRanges: [] });
  expect(splitIntoMonths(days('2026-01-20', 50))).toEqual({
    months: ['2026-02'],
    dayRanges: [
      { fromDay: '2026-01-20', toDay: '2026-01-31' },
      { fromDay: '2026-03-01', toDay: '2026-03-10' },
    ],
  });
  expect(splitIntoMonths(days('2024-02-01', 28))).toEqual({
    months: [],
    dayRanges: [{ fromDay: '2024-02-01', toDay: '2024-02-28' }],
  });
});

describeEachDatabase('maintained summaries for the overview and the report', (db) => {
  const upstream = new FakeProvider(KEY);
  let upstreamServiceId = 0;
  let operatorServiceId = 0;
  const customers: number[] = [];

  beforeAll(async () => {
    await upstream.start();
    upstream.services = [{ service: 7, name: 'Likes', category: 'Likes', rate: '1.00', min: 10, max: 10000 }];
    upstreamServiceId = await importUpstreamService(db().ctx, {
      name: 'summed',
      url: upstream.url,
      apiKey: KEY,
    });
    const own = await createService(db().ctx, {
      fields: { ...HAND_MADE_COMMENTS, category: 'Comments' },
      actor: 't',
    });
    operatorServiceId = own.id;
    for (let i = 0; i < 3; i++) customers.push((await createCustomer(db(), 100_000_000)).id);
  });
  afterAll(() => upstream.stop());

  const worker = () => testWorker(db().ctx, testSettings());
  const place = (accountId: number, serviceId: number, quantity: number) =>
    placeTestOrder(db().ctx, { accountId, serviceId, link: LINK, quantity });

  it('equal a recount after partial refunds, cancels and upstream cost updates', async () => {
    const [first = 0, second = 0] = customers;
    const upstreamOrder = await place(first, upstreamServiceId, 1000);
    const delivered = await place(first, operatorServiceId, 100);
    const canceled = await place(second, operatorServiceId, 50);
    await worker().runOnce();
    const placed = upstream.orderFor(upstreamOrder);
    if (!placed) throw new Error('the upstream never got the order');
    placed.entry = { status: 'In progress', remains: '1000', start_count: '5', charge: '1.00' };
    db().clock.advance(10_000);
    await worker().runOnce();
    // A day later: the upstream refunds part of its charge, ours refunds the undelivered part.
    db().clock.advance(26 * HOUR_MS);
    placed.entry = { status: 'Partial', remains: '400', start_count: '5', charge: '0.60' };
    await worker().runOnce();
    await recordOrderProgress(db().ctx, { orderId: delivered, deliveredQuantity: 30, actor: 'op' });
    expect(await cancelOrder(db().ctx, { accountId: first, orderId: delivered })).toMatchObject({ ok: true });
    expect(await cancelOrder(db().ctx, { accountId: second, orderId: canceled })).toMatchObject({ ok: true });
    await expectSummariesEqualRecount(db());
    await expectLedgerOk(db());
    const statuses = await db().ctx.db.selectFrom('orders').select('status').execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(['Canceled', 'Partial', 'Partial']);
  });

  it('equal a recount under parallel orders and racing compactions', async () => {
    const other = db().openAnother();
    try {
      // Two connections race for real on PostgreSQL. Two SQLite connections in one process
      // would wait on each other's lock with the event loop blocked, so SQLite shares one (its
      // transactions then interleave in turn, as with one writer across processes).
      const otherCtx = db().name === 'postgres' ? createAppContext(other, db().clock) : db().ctx;
      const orders = Array.from({ length: 24 }, (_, i) =>
        place(customers[i % customers.length] ?? 0, operatorServiceId, 10 + i),
      );
      const compactions = Array.from({ length: 6 }, (_, i) =>
        compactBusinessSummaries(i % 2 === 0 ? db().ctx : otherCtx, { batchRows: 3 }),
      );
      await Promise.all([...orders, ...compactions]);
      await Promise.all([compactAllBusinessSummaries(db().ctx), compactAllBusinessSummaries(otherCtx)]);
      await expectSummariesEqualRecount(db());
    } finally {
      await other.close();
    }
  });

  it('feed the overview and the report with what a recount gives', async () => {
    const overview = await getAdminOverview(db().ctx);
    const orders = await db().ctx.db.selectFrom('orders').selectAll().execute();
    for (const status of ORDER_STATUSES)
      expect(overview.ordersByStatus.find((s) => s.status === status)?.count).toBe(
        orders.filter((o) => o.status === status).length,
      );
    expect(overview.customers.ordering).toBe(new Set(orders.map((o) => o.account_id)).size);
    const ledger = await db().ctx.db.selectFrom('ledger_entries').selectAll().execute();
    const sum = (kind: string) =>
      ledger.filter((e) => e.kind === kind).reduce((total, e) => total + Number(e.amount_units), 0);
    expect(overview.revenueUnits).toBe(-sum('charge'));
    expect(overview.refundUnits).toBe(sum('refund'));
    const firstDay = romeDayOf(Math.min(...orders.map((o) => Number(o.created_at))));
    const report = await getBusinessReport(db().ctx, {
      fromDay: firstDay,
      toDay: romeDayOf(db().clock.now()),
    });
    expect(report.totals).toMatchObject({
      orders: orders.length,
      chargeUnits: -sum('charge'),
      refundedUnits: sum('refund'),
      costUnits: orders.reduce((total, o) => total + Number(o.cost_units ?? 0), 0),
    });
  });

  it('are rebuilt from the stored data by the migration backfill', async () => {
    const trx = db().ctx.db;
    for (const table of [
      'order_day_service_totals',
      'order_day_account_totals',
      'order_month_account_totals',
      'order_status_counts',
      'ledger_hour_money',
    ] as const)
      await trx.deleteFrom(table).execute();
    await backfillBusinessSummaries(trx);
    await expectSummariesEqualRecount(db());
  });
});
