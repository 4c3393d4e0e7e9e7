import { splitComments } from '../domain/comments.js';
import { decideCancel } from '../domain/order-lifecycle.js';
import { type LedgerLine, listLedgerLines } from '../storage/ledger-repository.js';
import { findOrderRuns } from '../storage/order-runs-repository.js';
import { findOrderOfAccount } from '../storage/orders-repository.js';
import type { OrderRow, OrderRunRow, ServiceRow } from '../storage/schema.js';

export type { OrderRunRow };

import { findService } from '../storage/services-repository.js';
import type { AppContext } from './context.js';
import { toOrderState } from './order-state.js';

export interface CustomerOrder {
  order: OrderRow;
  service: ServiceRow | undefined;
  comments: string[];
  /** The charge and any refund of this order, oldest first. */
  ledger: LedgerLine[];
  /** The cancel preview would offer a cancel now (contract §9). */
  canCancel: boolean;
  /** A drip-feed order's runs, in order; empty for an order delivered at once. */
  runs: OrderRunRow[];
}

/** One order of the customer's, with its ledger entries; undefined for another account's order. */
export async function getCustomerOrder(
  ctx: AppContext,
  options: { accountId: number; orderId: number },
): Promise<CustomerOrder | undefined> {
  const order = await findOrderOfAccount(ctx.db, options.accountId, options.orderId);
  if (!order) return undefined;
  const service = await findService(ctx.db, order.service_id);
  // Entries are the account's own: the order is, so its entries are too.
  const ledger = await listLedgerLines(ctx.db, { orderId: order.id });
  return {
    order,
    service,
    comments: order.comments === null ? [] : splitComments(order.comments),
    ledger,
    canCancel: decideCancel(toOrderState(order), service?.can_cancel === 1).ok,
    runs: order.runs === null ? [] : await findOrderRuns(ctx.db, order.id),
  };
}
