import { sql } from 'kysely';
import type { OrderStatus } from '../domain/order-lifecycle.js';
import type { Executor, OrderRow } from './schema.js';

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
export async function listCustomerOrders(
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
