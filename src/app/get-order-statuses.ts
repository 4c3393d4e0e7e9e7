import { DomainError } from '../domain/errors.js';
import { findOrderStatusesOfAccount, type OrderStatusRow } from '../storage/orders-repository.js';
import { hashApiKey } from './api-key-secrets.js';
import { type ApiCaller, callerOf } from './authenticate-api-key.js';
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
  const parsed = parseOrderIds(options.orderIds);
  const orders = await findOrderStatusesOfAccount(ctx.db, options.accountId, parsed.ids);
  return statusesByText(parsed.texts, orders);
}

/** One pass, no array per id: a `status` batch parses a hundred of them per request. */
function parseOrderIds(orderIds: string[]) {
  const texts: Array<{ text: string; id: number | undefined }> = [];
  const ids: number[] = [];
  for (const text of orderIds) {
    const id = parseOrderId(text);
    texts.push({ text, id });
    if (id !== undefined) ids.push(id);
  }
  return { texts, ids };
}

function statusesByText(
  parsed: ReadonlyArray<{ text: string; id: number | undefined }>,
  orders: OrderStatusRow[],
): Map<string, OrderStatusView | undefined> {
  const byId = new Map(orders.map((order) => [order.id, order]));
  const result = new Map<string, OrderStatusView | undefined>();
  for (const { text, id } of parsed) {
    const order = id === undefined ? undefined : byId.get(id);
    result.set(text, order && toStatusView(order));
  }
  return result;
}

/**
 * contract §7 and §2: as getOrderStatuses, for the account of an API key, read by the statement
 * that also checks the key: a key revoked, an account suspended or a profile changed on any node
 * is seen by the very next request. The key is checked even when no id is usable.
 */
export async function getOrderStatusesByKey(
  ctx: AppContext,
  options: { key: string | undefined; orderIds: string[] },
): Promise<{ caller: ApiCaller; views: Map<string, OrderStatusView | undefined> }> {
  if (!options.key) throw new DomainError('unauthorized');
  const keyHash = hashApiKey(options.key);
  const parsed = parseOrderIds(options.orderIds);
  const read = await ctx.apiReads.statusesByKey(keyHash, parsed.ids);
  const caller = callerOf(ctx, keyHash, read.account);
  return { caller, views: statusesByText(parsed.texts, read.orders) };
}
