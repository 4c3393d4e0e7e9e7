import { findOrderStatusesOfAccount, type OrderStatusRow } from '../storage/orders-repository.js';
import type { AppContext } from './context.js';
import { parseOrderId } from './order-ids.js';

export interface OrderStatusView {
  chargeUnits: number;
  startCount: number;
  status: string;
  remains: number;
  quantity: number;
}

export function toStatusView(order: OrderStatusRow): OrderStatusView {
  return {
    // contract §7: what the order has cost net of refunds.
    chargeUnits: order.charge_units - order.refunded_units,
    startCount: order.start_count,
    status: order.status,
    remains: order.remains,
    quantity: order.quantity,
  };
}

/**
 * The status of each requested order, keyed by the id text as sent. An id that is malformed,
 * unknown or another account's maps to undefined: the caller cannot tell which.
 */
export async function getOrderStatuses(
  ctx: AppContext,
  options: { accountId: number; orderIds: string[] },
): Promise<Map<string, OrderStatusView | undefined>> {
  const parsed = options.orderIds.map((text) => ({ text, id: parseOrderId(text) }));
  const ids = parsed.flatMap(({ id }) => (id === undefined ? [] : [id]));
  const orders = await findOrderStatusesOfAccount(ctx.db, options.accountId, ids);
  const byId = new Map(orders.map((order) => [order.id, order]));
  const result = new Map<string, OrderStatusView | undefined>();
  for (const { text, id } of parsed) {
    const order = id === undefined ? undefined : byId.get(id);
    result.set(text, order && toStatusView(order));
  }
  return result;
}
