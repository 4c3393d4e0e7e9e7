import { parseOrderStatus } from '../domain/order-lifecycle.js';
import { type CustomerOrderRow, listOrdersOfAccount as queryOrders } from '../storage/orders-repository.js';
import type { AppContext } from './context.js';
import { fetchPage, type Paged } from './pagination.js';

export type { CustomerOrderRow };

export const ORDERS_PER_PAGE = 20;

export type CustomerOrdersPage = Paged<CustomerOrderRow>;

/** The customer's orders: search by id or link, filter by status, 20 a page. */
export async function listCustomerOrders(
  ctx: AppContext,
  options: { accountId: number; search?: string; status?: string; page?: number },
): Promise<CustomerOrdersPage> {
  const status = parseOrderStatus(options.status);
  const search = options.search?.trim().slice(0, 200);
  const filter = {
    accountId: options.accountId,
    ...(search ? { search } : {}),
    ...(status ? { status } : {}),
  };
  return fetchPage(options.page, (window) => queryOrders(ctx.db, filter, window), ORDERS_PER_PAGE);
}
