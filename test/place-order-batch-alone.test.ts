import { beforeAll, expect, it } from 'vitest';
import { type NewOrder, orderBatch, placeCoveredOrdersAlone } from '../src/app/place-order-batch.js';
import { verifyLedger } from '../src/app/verify-ledger.js';
import { GroupCommit } from '../src/storage/group-commit.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';
import { batchOrder, chargeEntries } from './support/group-commit-fixtures.js';

describeEachDatabase(
  'a batch of covered orders committed on its own (PostgreSQL: one statement; SQLite: the writer thread)',
  (db) => {
    let serviceId = 0;
    beforeAll(async () => {
      serviceId = (await createTestService(db(), { rateUnits: 1000, minQuantity: 1, maxQuantity: 100_000 }))
        .id;
    });

    const newOrder = (accountId: number, chargeUnits: number): NewOrder =>
      batchOrder(accountId, serviceId, chargeUnits, 7_200_000);

    const accountOf = (accountId: number) =>
      db()
        .ctx.db.selectFrom('accounts')
        .select(['balance_units', 'is_low_balance_notified'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();

    const charges = (accountId: number) => chargeEntries(db(), accountId);

    it('debits the sum and stores each order with its entry, in the order given', async () => {
      const customer = await createCustomer(db(), 1000);
      const outcomes = await placeCoveredOrdersAlone(
        db().storage.db,
        [300, 100, 250].map((charge) => newOrder(customer.id, charge)),
        db().storage.kind,
      );
      const ids = (outcomes ?? []).map((o) => (o.ok ? (o.value as { orderId: number }).orderId : 0));
      expect(ids).toHaveLength(3);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(await charges(customer.id)).toEqual([
        { order_id: ids[0], amount_units: -300, balance_after_units: 700 },
        { order_id: ids[1], amount_units: -100, balance_after_units: 600 },
        { order_id: ids[2], amount_units: -250, balance_after_units: 350 },
      ]);
      const orders = await db()
        .ctx.db.selectFrom('orders')
        .select(['id', 'charge_units', 'status', 'remains'])
        .where('account_id', '=', customer.id)
        .orderBy('id')
        .execute();
      expect(orders).toEqual([
        { id: ids[0], charge_units: 300, status: 'Pending', remains: 300 },
        { id: ids[1], charge_units: 100, status: 'Pending', remains: 100 },
        { id: ids[2], charge_units: 250, status: 'Pending', remains: 250 },
      ]);
      expect(await accountOf(customer.id)).toMatchObject({ balance_units: 350 });
      // The summaries' triggers saw every order and entry (migration 020, statement triggers).
      const deltas = await db()
        .ctx.db.selectFrom('order_summary_deltas')
        .select(['charge_units', 'orders', 'created_hour'])
        .where('account_id', '=', customer.id)
        .orderBy('id')
        .execute();
      expect(deltas).toEqual([300, 100, 250].map((c) => ({ charge_units: c, orders: 1, created_hour: 2 })));
      expect((await verifyLedger(db().ctx)).violations).toEqual([]);
    });

    it('writes nothing when the balance does not cover them all, and the batch path decides each', async () => {
      const customer = await createCustomer(db(), 500);
      const orders = [300, 300, 100].map((charge) => newOrder(customer.id, charge));
      expect(await placeCoveredOrdersAlone(db().storage.db, orders, db().storage.kind)).toBeUndefined();
      expect(await accountOf(customer.id)).toMatchObject({ balance_units: 500 });
      expect(await charges(customer.id)).toEqual([]);
      const group = new GroupCommit(db().storage.db, db().storage.kind);
      const settled = await Promise.allSettled(
        orders.map((order) =>
          group.runBulk(
            orderBatch,
            order,
            async () => {
              throw new Error('ran alone');
            },
            customer.id,
          ),
        ),
      );
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await charges(customer.id)).map((e) => e.balance_after_units)).toEqual([200, 100]);
    });

    it('leaves to the batch path a fall below the low-balance threshold, which mails it', async () => {
      const customer = await createCustomer(db(), 1000);
      await db()
        .ctx.db.updateTable('accounts')
        .set({ low_balance_threshold_units: 600 })
        .where('id', '=', customer.id)
        .execute();
      const orders = [200, 300].map((charge) => newOrder(customer.id, charge));
      expect(await placeCoveredOrdersAlone(db().storage.db, orders, db().storage.kind)).toBeUndefined();
      expect(await accountOf(customer.id)).toEqual({ balance_units: 1000, is_low_balance_notified: 0 });
      const group = new GroupCommit(db().storage.db, db().storage.kind);
      await Promise.all(
        orders.map((order) => group.runBulk(orderBatch, order, async () => ({ orderId: 0 }), customer.id)),
      );
      const mails = await db()
        .ctx.db.selectFrom('mail_outbox')
        .select('data')
        .where('account_id', '=', customer.id)
        .where('kind', '=', 'low_balance')
        .execute();
      expect(mails.map((m) => JSON.parse(m.data))).toEqual([{ balanceUnits: 500, thresholdUnits: 600 }]);
      expect(await accountOf(customer.id)).toEqual({ balance_units: 500, is_low_balance_notified: 1 });
    });
  },
);
