import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkTarget } from '../src/storage/group-commit.js';
import { insertChargedOrders } from '../src/storage/order-batch-repository.js';
import type { SqliteKysely } from '../src/storage/sqlite-kysely.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { createTestDatabase, type TestDatabase } from './support/databases.js';
import { batchOrder, chargeEntries } from './support/group-commit-fixtures.js';

/** The prepared statements of a SQLite batch (order-batch-sqlite.ts), beside what Kysely wrote. */
describe('a batch of orders stored by prepared statements on SQLite', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let target: BulkTarget;
  let serviceId = 0;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    target = { kind: 'sqlite', connection: (db.storage.db as SqliteKysely).sqliteConnection };
    serviceId = (await createTestService(db, { rateUnits: 1000, minQuantity: 1, maxQuantity: 100_000 })).id;
  });
  afterAll(() => db.drop());

  const insertTogether = (orders: ReturnType<typeof batchOrder>[], balancesAfterUnits: number[]) =>
    db.storage.db
      .transaction()
      .execute((trx) => insertChargedOrders(trx, target, orders, balancesAfterUnits));

  it('stores every column the orders set, with their entries, and answers their ids in order', async () => {
    const customer = await createCustomer(db, 0);
    const orders = [300, 200, 100].map((charge, k) => ({
      ...batchOrder(customer.id, serviceId, charge, 1_000 + k),
      next_run_at: 5_000 + k,
    }));
    const ids = await insertTogether(orders, [700, 500, 400]);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const stored = await db.storage.db
      .selectFrom('orders')
      .select(['id', 'charge_units', 'next_run_at', 'created_at'])
      .where('account_id', '=', customer.id)
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { id: ids[0], charge_units: 300, next_run_at: 5_000, created_at: 1_000 },
      { id: ids[1], charge_units: 200, next_run_at: 5_001, created_at: 1_001 },
      { id: ids[2], charge_units: 100, next_run_at: 5_002, created_at: 1_002 },
    ]);
    expect(await chargeEntries(db, customer.id)).toEqual([
      { order_id: ids[0], amount_units: -300, balance_after_units: 700 },
      { order_id: ids[1], amount_units: -200, balance_after_units: 500 },
      { order_id: ids[2], amount_units: -100, balance_after_units: 400 },
    ]);
  });

  it('refuses orders that set different columns, and writes none of them', async () => {
    const customer = await createCustomer(db, 0);
    const plain = batchOrder(customer.id, serviceId, 100, 1_000);
    const timed = { ...batchOrder(customer.id, serviceId, 100, 1_000), next_run_at: 9 };
    await expect(insertTogether([plain, timed], [900, 800])).rejects.toThrow(/different columns/);
    const stored = await db.storage.db
      .selectFrom('orders')
      .select('id')
      .where('account_id', '=', customer.id)
      .execute();
    expect(stored).toEqual([]);
  });

  it('runs only inside a transaction, where group commit syncs the commit', async () => {
    const customer = await createCustomer(db, 0);
    const order = batchOrder(customer.id, serviceId, 100, 1_000);
    await expect(insertChargedOrders(db.storage.db, target, [order], [900])).rejects.toThrow(
      /only inside a transaction/,
    );
  });
});
