import { ORDER_STATUSES } from '../domain/order-lifecycle.js';
import {
  type CustomerOrderRow,
  listCustomerOrders as queryOrders,
} from '../storage/customer-orders-queries.js';
import type { AppContext } from './context.js';

export const ORDERS_PER_PAGE = 20;

export interface CustomerOrdersPage {
  rows: CustomerOrderRow[];
  total: number;
  page: number;
  pageCount: number;
}

/** The customer's orders: search by id or link, filter by status, 20 a page. */
export async function listCustomerOrders(
  ctx: AppContext,
  options: { accountId: number; search?: string; status?: string; page?: number },
): Promise<CustomerOrdersPage> {
  const status = (ORDER_STATUSES as readonly string[]).includes(options.status ?? '')
    ? options.status
    : undefined;
  const search = options.search?.trim().slice(0, 200);
  const page = Math.max(1, Math.min(options.page ?? 1, 100_000));
  const { rows, total } = await queryOrders(
    ctx.db,
    { accountId: options.accountId, ...(search ? { search } : {}), ...(status ? { status } : {}) },
    { limit: ORDERS_PER_PAGE, offset: (page - 1) * ORDERS_PER_PAGE },
  );
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / ORDERS_PER_PAGE)) };
}
