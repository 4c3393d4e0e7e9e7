import { type Insertable, sql, type Updateable } from 'kysely';
import type { OrderStatus } from '../domain/order-lifecycle.js';
import type { Executor, OrderRow, OrdersTable } from './schema.js';
import { asId, containsText, type PageWindow } from './text-search.js';

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

export interface AdminOrderRow extends OrderRow {
  email: string;
  service_name: string | null;
}

export interface AdminOrderFilter {
  /** An order id (exact), part of a link or part of the customer's email. */
  search?: string;
  status?: OrderStatus;
  accountId?: number;
  serviceId?: number;
}

function filteredOrders(db: Executor, filter: AdminOrderFilter) {
  let query = db
    .selectFrom('orders')
    .innerJoin('accounts', 'accounts.id', 'orders.account_id')
    .leftJoin('services', 'services.id', 'orders.service_id');
  if (filter.status) query = query.where('orders.status', '=', filter.status);
  if (filter.accountId !== undefined) query = query.where('orders.account_id', '=', filter.accountId);
  if (filter.serviceId !== undefined) query = query.where('orders.service_id', '=', filter.serviceId);
  const search = filter.search?.trim();
  if (search) {
    const id = asId(search);
    query = query.where((eb) => {
      const text = [containsText('orders.link', search), containsText('accounts.email', search)];
      return eb.or(id === undefined ? text : [eb('orders.id', '=', id), ...text]);
    });
  }
  return query;
}

/** Orders of every customer, newest first, with the customer's email and the service's name. */
export async function searchOrders(
  db: Executor,
  filter: AdminOrderFilter,
  page: PageWindow,
): Promise<{ rows: AdminOrderRow[]; total: number }> {
  const query = filteredOrders(db, filter);
  const count = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('orders')
    .select(['accounts.email as email', 'services.name as service_name'])
    .orderBy('orders.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows: rows as AdminOrderRow[], total: Number(count.n) };
}

export function findAdminOrder(db: Executor, orderId: number): Promise<AdminOrderRow | undefined> {
  return db
    .selectFrom('orders')
    .innerJoin('accounts', 'accounts.id', 'orders.account_id')
    .leftJoin('services', 'services.id', 'orders.service_id')
    .selectAll('orders')
    .select(['accounts.email as email', 'services.name as service_name'])
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
}

export interface CustomerOrderRow extends OrderRow {
  service_name: string | null;
  can_cancel: number | null;
}

export interface CustomerOrderFilter {
  accountId: number;
  /** An order id (exact) or part of a link (case-insensitive substring). */
  search?: string;
  status?: OrderStatus;
}

/** The dashboard's order list: newest first, with the service's name, and the total count. */
export async function listOrdersOfAccount(
  db: Executor,
  filter: CustomerOrderFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: CustomerOrderRow[]; total: number }> {
  let query = db
    .selectFrom('orders')
    .leftJoin('services', 'services.id', 'orders.service_id')
    .where('orders.account_id', '=', filter.accountId);
  if (filter.status) query = query.where('orders.status', '=', filter.status);
  const search = filter.search?.trim();
  if (search) {
    // "#123" is an order id only; "123" is an id or a piece of a link.
    const idOnly = /^#\d{1,15}$/.test(search);
    const asId = /^#?\d{1,15}$/.test(search) ? Number(search.replace('#', '')) : undefined;
    // LIKE's own wildcards in the search text are matched literally.
    const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // ESCAPE is spelled out: SQLite has no default escape character, PostgreSQL's is '\'.
    const byLink = sql<boolean>`lower(${sql.ref('orders.link')}) like ${pattern} escape '\\'`;
    query = query.where((eb) =>
      asId === undefined
        ? byLink
        : idOnly
          ? eb('orders.id', '=', asId)
          : eb.or([eb('orders.id', '=', asId), byLink]),
    );
  }
  const countRow = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('orders')
    .select(['services.name as service_name', 'services.can_cancel as can_cancel'])
    .orderBy('orders.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(countRow.n) };
}
