import { parseOrderStatus } from '../domain/order-lifecycle.js';
import { type AdminOrderFilter, type AdminOrderRow, searchOrders } from '../storage/orders-repository.js';
import type { AppContext } from './context.js';
import { fetchPage, type Paged } from './pagination.js';

export type { AdminOrderRow };

/** Orders across every customer for the admin: search by id, link or email; filter by status. */
export async function listAllOrders(
  ctx: AppContext,
  options: { search?: string; status?: string; accountId?: number; serviceId?: number; page?: number },
): Promise<Paged<AdminOrderRow>> {
  const filter: AdminOrderFilter = {};
  if (options.search) filter.search = options.search;
  const status = parseOrderStatus(options.status);
  if (status) filter.status = status;
  if (options.accountId !== undefined) filter.accountId = options.accountId;
  if (options.serviceId !== undefined) filter.serviceId = options.serviceId;
  return fetchPage(options.page, (window) => searchOrders(ctx.db, filter, window));
}
