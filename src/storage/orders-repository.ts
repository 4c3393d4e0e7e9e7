import type { Insertable, Updateable } from 'kysely';
import type { Executor, OrderRow, OrdersTable } from './schema.js';

export async function insertOrder(db: Executor, order: Insertable<OrdersTable>): Promise<number> {
  const row = await db.insertInto('orders').values(order).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findOrderOfAccount(
  db: Executor,
  accountId: number,
  orderId: number,
): Promise<OrderRow | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** What the API's `status` answers with, and the id that keys it. */
export type OrderStatusRow = Pick<
  OrderRow,
  'id' | 'charge_units' | 'refunded_units' | 'start_count' | 'status' | 'remains' | 'quantity'
>;

/**
 * Only the status columns: a batch reads up to 100 rows, and materialising every column of
 * each cost two to five times as much (npm run bench, `status` batch).
 */
export function findOrderStatusesOfAccount(
  db: Executor,
  accountId: number,
  orderIds: number[],
): Promise<OrderStatusRow[]> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('orders')
    .select(['id', 'charge_units', 'refunded_units', 'start_count', 'status', 'remains', 'quantity'])
    .where('account_id', '=', accountId)
    .where('id', 'in', orderIds)
    .execute();
}

export function findOrderById(db: Executor, orderId: number): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
}

/**
 * Updates the order only if nobody else changed it since `version` was read, and bumps the
 * version. This is what keeps a cancel and a delivery step from interleaving (contract §8):
 * the loser of a race updates nothing and must read the order again.
 */
export async function updateOrderAtVersion(
  db: Executor,
  orderId: number,
  version: number,
  patch: Omit<Updateable<OrdersTable>, 'id' | 'version'>,
): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', orderId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
