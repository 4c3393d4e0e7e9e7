import { beforeAll, expect, it } from 'vitest';
import { placeOrder } from '../src/app/place-order.js';
import { type NewOrder, placeOrderBatch } from '../src/app/place-order-batch.js';
import { verifyLedger } from '../src/app/verify-ledger.js';
import { DomainError } from '../src/domain/errors.js';
import { GroupCommit } from '../src/storage/group-commit.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';
import {
  batchOrder,
  chargeEntries,
  DECIDED_ONE_BY_ONE,
  emails,
  insertAccount,
  refusalsOf,
} from './support/group-commit-fixtures.js';

const LINK = 'https://www.instagram.com/p/ABCDE12345/';

describeEachDatabase('orders placed together in one batch', (db) => {
  let serviceId = 0;
  beforeAll(async () => {
    // 1 unit per unit ordered: an order of 600 costs 600 units.
    serviceId = (await createTestService(db(), { rateUnits: 1000, minQuantity: 1, maxQuantity: 100_000 })).id;
  });

  const newOrder = (accountId: number, chargeUnits: number): NewOrder =>
    batchOrder(accountId, serviceId, chargeUnits, 1_000);

  const notAlone = async () => {
    throw new Error('ran alone: the batch statements failed');
  };

  /** Queued in one tick, so they share one batch, in this order. */
  const placeTogether = (group: GroupCommit, orders: NewOrder[]) =>
    Promise.allSettled(
      orders.map((order) => group.runBulk(placeOrderBatch, order, notAlone, order.account_id)),
    );

  const charges = (accountId: number) => chargeEntries(db(), accountId);

  it('decides each order against what the ones before it left, as one by one, and stores only the placed', async () => {
    const customer = await createCustomer(db(), DECIDED_ONE_BY_ONE.openingUnits);
    const group = new GroupCommit(db().storage.db, db().storage.kind);
    const settled = await placeTogether(
      group,
      DECIDED_ONE_BY_ONE.charges.map((charge) => newOrder(customer.id, charge)),
    );
    expect(group.stats).toMatchObject({ batches: 1, jobs: 5 });
    expect(settled.map((s) => s.status)).toEqual(DECIDED_ONE_BY_ONE.statuses);
    expect(refusalsOf(settled)).toEqual(DECIDED_ONE_BY_ONE.refusals);
    const ids = settled.flatMap((s) =>
      s.status === 'fulfilled' ? [(s.value as { orderId: number }).orderId] : [],
    );
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(await charges(customer.id)).toEqual([
      { order_id: ids[0], amount_units: -600, balance_after_units: 400 },
      { order_id: ids[1], amount_units: -300, balance_after_units: 100 },
      { order_id: ids[2], amount_units: -100, balance_after_units: 0 },
    ]);
    const orders = await db()
      .ctx.db.selectFrom('orders')
      .select(['id', 'charge_units'])
      .where('account_id', '=', customer.id)
      .orderBy('id')
      .execute();
    expect(orders).toEqual(ids.map((id, k) => ({ id, charge_units: [600, 300, 100][k] })));
    expect((await verifyLedger(db().ctx)).violations).toEqual([]);
  });

  it('keeps each account to its own balance when one batch holds orders of several (one SQLite lane)', async () => {
    const first = await createCustomer(db(), 1000);
    const second = await createCustomer(db(), 1000);
    const group = new GroupCommit(db().storage.db, db().storage.kind);
    const settled = await placeTogether(group, [
      newOrder(first.id, 600),
      newOrder(second.id, 300),
      newOrder(first.id, 500),
      newOrder(second.id, 800),
      newOrder(second.id, 700),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    const available = settled.flatMap((s) =>
      s.status === 'rejected'
        ? [((s.reason as DomainError).details as { availableUnits: number }).availableUnits]
        : [],
    );
    expect(available).toEqual([400, 700]);
    expect((await charges(first.id)).map((e) => e.balance_after_units)).toEqual([400]);
    expect((await charges(second.id)).map((e) => e.balance_after_units)).toEqual([700, 0]);
    expect((await verifyLedger(db().ctx)).violations).toEqual([]);
  });

  it('mails the low balance once, with the balance the crossing order left', async () => {
    const customer = await createCustomer(db(), 1000);
    await db()
      .ctx.db.updateTable('accounts')
      .set({ low_balance_threshold_units: 600 })
      .where('id', '=', customer.id)
      .execute();
    const group = new GroupCommit(db().storage.db, db().storage.kind);
    const settled = await placeTogether(
      group,
      [200, 900, 300, 300].map((charge) => newOrder(customer.id, charge)),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const mails = await db()
      .ctx.db.selectFrom('mail_outbox')
      .select('data')
      .where('account_id', '=', customer.id)
      .where('kind', '=', 'low_balance')
      .execute();
    expect(mails.map((m) => JSON.parse(m.data))).toEqual([{ balanceUnits: 500, thresholdUnits: 600 }]);
    const account = await db()
      .ctx.db.selectFrom('accounts')
      .select(['balance_units', 'is_low_balance_notified'])
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ balance_units: 200, is_low_balance_notified: 1 });
  });

  it('runs the batch again job by job when its bulk statements fail, keeping none of their writes', async () => {
    const group = new GroupCommit(db().storage.db, db().storage.kind);
    const failing = async (trx: Parameters<typeof insertAccount>[0]) => {
      await insertAccount(trx, 'bulk-wrote-this@example.com');
      throw new Error('the bulk statements failed');
    };
    const settled = await Promise.allSettled(
      ['alone-a', 'alone-b', 'alone-c'].map((name, index) =>
        group.runBulk(
          failing,
          name,
          async (trx) => {
            if (index === 1) throw new DomainError('invalid_service');
            return insertAccount(trx, `${name}@example.com`);
          },
          'fallback',
        ),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await emails(db());
    expect(stored).toEqual(expect.arrayContaining(['alone-a@example.com', 'alone-c@example.com']));
    expect(stored).not.toContain('alone-b@example.com');
    expect(stored).not.toContain('bulk-wrote-this@example.com');
    expect(group.stats).toMatchObject({ batches: 1, jobs: 3 });
  });

  it('places concurrent orders of one account exactly up to its balance through placeOrder', async () => {
    const customer = await createCustomer(db(), 10_000);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        placeOrder(db().ctx, {
          accountId: customer.id,
          serviceId,
          link: LINK,
          quantity: 700,
          comments: undefined,
        }),
      ),
    );
    const placed = results.filter((r) => r.status === 'fulfilled');
    // 14 × 700 = 9,800 of 10,000: the rest are refused with the 200 units left.
    expect(placed).toHaveLength(14);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect([(r.reason as DomainError).code, (r.reason as DomainError).details]).toEqual([
          'insufficient_balance',
          { requiredUnits: 700, availableUnits: 200 },
        ]);
      }
    }
    const entries = await charges(customer.id);
    expect(entries.map((e) => e.balance_after_units)).toEqual(
      Array.from({ length: 14 }, (_, i) => 9300 - 700 * i),
    );
    expect((await verifyLedger(db().ctx)).violations).toEqual([]);
  });
});
