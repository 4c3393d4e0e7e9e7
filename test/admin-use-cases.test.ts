import { beforeAll, expect, it } from 'vitest';
import { cancelOrderAsAdmin } from '../src/app/cancel-order-as-admin.js';
import { createAccount } from '../src/app/create-account.js';
import { getAdminOrder } from '../src/app/get-admin-order.js';
import { getAdminOverview } from '../src/app/get-admin-overview.js';
import { getCustomerDetail } from '../src/app/get-customer-detail.js';
import { listAllOrders } from '../src/app/list-all-orders.js';
import { listAuditLog } from '../src/app/list-audit-log.js';
import { listCustomers } from '../src/app/list-customers.js';
import { ADMIN_PAGE_SIZE } from '../src/app/pagination.js';
import { placeOrder } from '../src/app/place-order.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { setServiceActive } from '../src/app/set-service-active.js';
import { isDomainError } from '../src/domain/errors.js';
import { findService } from '../src/storage/services-repository.js';
import { createTestService } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

const LINK = 'https://www.instagram.com/p/ABCDE12345/';
const OTHER_LINK = 'https://www.instagram.com/p/ZZZZZ99999/';

describeEachDatabase('admin use cases', (db) => {
  // No digits in the emails: a search by an account id must not also match an email by chance.
  const suffix = Date.now()
    .toString(36)
    .replace(/\d/g, (digit) => 'ghijklmnop'[Number(digit)] ?? 'q');
  let alice = 0;
  let bob = 0;
  let serviceId = 0;
  const orders: number[] = [];

  async function order(accountId: number, link: string, quantity: number) {
    const placed = await placeOrder(db().ctx, {
      accountId,
      serviceId,
      link,
      quantity,
      comments: undefined,
    });
    orders.push(placed.orderId);
    return placed.orderId;
  }

  beforeAll(async () => {
    const { ctx, clock } = db();
    // LIKE's wildcards in an email: a search for them must match them literally.
    alice = (
      await createAccount(ctx, {
        email: `a_b%c-${suffix}@example.com`,
        password: 'long enough pw',
        openingBalanceUnits: 1_000_000,
      })
    ).id;
    bob = (
      await createAccount(ctx, {
        email: `axbyc-${suffix}@example.com`,
        password: 'long enough pw',
        openingBalanceUnits: 1_000_000,
      })
    ).id;
    const service = await createTestService(db(), {
      rateUnits: 10_000,
      minQuantity: 10,
      maxQuantity: 10_000,
    });
    serviceId = service.id;
    // 23:30 in Rome on 26 Nov (UTC+1), then 00:30 in Rome on 27 Nov: two different days.
    clock.set(Date.UTC(2026, 10, 26, 22, 30));
    await order(alice, LINK, 1000); // charge 1.0000
    clock.set(Date.UTC(2026, 10, 26, 23, 30));
    await order(bob, OTHER_LINK, 2000); // charge 2.0000
    await order(bob, LINK, 500); // charge 0.5000
    clock.set(Date.UTC(2026, 10, 27, 12, 0));
  });

  it('sums revenue and refunds per day in Rome, and counts orders and customers', async () => {
    const { ctx } = db();
    await cancelOrderAsAdmin(ctx, { orderId: orders[2] ?? 0, actor: 'web:admin@example.com' });
    const overview = await getAdminOverview(ctx);
    expect(overview.days).toHaveLength(30);
    const byDay = new Map(overview.days.map((d) => [d.day, d]));
    expect(byDay.get('2026-11-26')).toMatchObject({ revenueUnits: 10_000, refundUnits: 0 });
    expect(byDay.get('2026-11-27')).toMatchObject({ revenueUnits: 25_000, refundUnits: 5_000 });
    expect(overview.revenueUnits).toBe(35_000);
    expect(overview.refundUnits).toBe(5_000);
    expect(overview.ordersByStatus).toEqual([
      { status: 'Pending', count: 2 },
      { status: 'In progress', count: 0 },
      { status: 'Completed', count: 0 },
      { status: 'Partial', count: 0 },
      { status: 'Canceled', count: 1 },
      { status: 'Error', count: 0 },
    ]);
    expect(overview.customers).toEqual({ active: 2, suspended: 0, ordering: 2 });
  });

  it('searches customers by id or email, with LIKE wildcards taken literally', async () => {
    const { ctx } = db();
    const wild = await listCustomers(ctx, { search: 'a_b%' });
    expect(wild.rows.map((r) => r.id)).toEqual([alice]);
    expect(wild.rows[0]).toMatchObject({ balance_units: 990_000, order_count: 1, status: 'active' });
    expect(wild.rows[0]).not.toHaveProperty('password_hash');
    expect((await listCustomers(ctx, { search: String(bob) })).rows.map((r) => r.id)).toEqual([bob]);
    expect((await listCustomers(ctx, { search: `C-${suffix.toUpperCase()}` })).total).toBe(2);
    expect((await listCustomers(ctx, { status: 'suspended' })).total).toBe(0);
    const beyond = await listCustomers(ctx, { page: 99 });
    // An old link past the end shows the last page.
    expect(beyond).toMatchObject({ page: 1, pageCount: 1, total: 2 });
    expect(beyond.rows).toHaveLength(2);
    expect(ADMIN_PAGE_SIZE).toBe(25);
  });

  it('finds orders across customers by id, link or email, and filters by status and customer', async () => {
    const { ctx } = db();
    const byLink = await listAllOrders(ctx, { search: 'p/abcde' });
    expect(byLink.rows.map((r) => r.id).sort()).toEqual([orders[0], orders[2]].sort());
    expect(byLink.rows.find((r) => r.id === orders[0])?.email).toBe(`a_b%c-${suffix}@example.com`);
    expect((await listAllOrders(ctx, { search: 'axbyc' })).total).toBe(2);
    // An id matches exactly; the same digits may also appear in a link or an email.
    const idText = String(orders[1]);
    const byId = await listAllOrders(ctx, { search: idText });
    expect(byId.rows.map((r) => r.id)).toContain(orders[1]);
    for (const row of byId.rows) {
      expect(row.id === orders[1] || row.link.includes(idText) || row.email.includes(idText)).toBe(true);
    }
    expect((await listAllOrders(ctx, { status: 'Canceled' })).rows.map((r) => r.id)).toEqual([orders[2]]);
    expect((await listAllOrders(ctx, { accountId: bob, status: 'Pending' })).rows.map((r) => r.id)).toEqual([
      orders[1],
    ]);
    // An unknown status is no filter, not an empty list.
    expect((await listAllOrders(ctx, { status: 'Nope' })).total).toBe(3);
  });

  it('cancels for the customer with the refund policy and audits the refund', async () => {
    const { ctx } = db();
    const orderId = orders[1] ?? 0;
    await recordOrderProgress(ctx, { orderId, deliveredQuantity: 400, actor: 'web:admin@example.com' });
    const result = await cancelOrderAsAdmin(ctx, { orderId, actor: 'web:admin@example.com' });
    // contract §9: 400 of 2000 delivered (under half): half of 1600/2000 of 2.0000.
    expect(result).toEqual({ orderId, status: 'Partial', refundUnits: 8_000 });
    const detail = await getAdminOrder(ctx, { orderId });
    expect(detail.ledger.map((e) => [e.kind, Number(e.amount_units), e.actor])).toEqual([
      ['charge', -20_000, null],
      ['refund', 8_000, 'web:admin@example.com'],
    ]);
    const again = await cancelOrderAsAdmin(ctx, { orderId, actor: 'web:admin@example.com' }).catch((e) => e);
    expect(isDomainError(again, 'order_not_cancellable')).toBe(true);
    expect((again as { details: unknown }).details).toEqual({ status: 'Partial' });
    const audit = await listAuditLog(ctx, { action: 'order.cancel', accountId: bob });
    expect(audit.rows).toHaveLength(2);
    expect(JSON.parse(audit.rows[0]?.details_json ?? '{}')).toEqual({
      orderId,
      status: { from: 'In progress', to: 'Partial' },
      refund: '0.8000',
      remains: 1600,
    });
    expect(audit.rows[0]?.target_email).toBe(`axbyc-${suffix}@example.com`);
    expect((await listAuditLog(ctx, { action: 'order.' })).total).toBe(3);
    expect((await listAuditLog(ctx, { action: 'order_' })).total).toBe(0);
    expect((await listAuditLog(ctx, { actor: 'ADMIN@' })).total).toBe(3);
    const missing = await cancelOrderAsAdmin(ctx, { orderId: 999_999, actor: 'x' }).catch((e) => e);
    expect(isDomainError(missing, 'order_not_found')).toBe(true);
  });

  it('shows a customer with ledger and orders, and toggles a service with an audit', async () => {
    const { ctx } = db();
    const detail = await getCustomerDetail(ctx, { accountId: bob });
    expect(detail.account).not.toHaveProperty('password_hash');
    expect(detail.orderCount).toBe(2);
    expect(detail.ledger[0]).toMatchObject({ kind: 'refund' });
    await setServiceActive(ctx, { serviceId, isActive: false, actor: 'web:admin@example.com' });
    expect((await findService(ctx.db, serviceId))?.is_active).toBe(0);
    const audit = await listAuditLog(ctx, { action: 'service.update' });
    expect(JSON.parse(audit.rows[0]?.details_json ?? '{}')).toMatchObject({
      serviceId,
      isActive: { from: true, to: false },
    });
  });
});
