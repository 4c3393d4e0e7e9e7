import { DomainError } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findOrderById } from '../storage/orders-repository.js';
import { type CancelRefusal, cancelOrder } from './cancel-orders.js';
import type { AppContext } from './context.js';

export interface AdminCancelResult {
  orderId: number;
  status: string;
  refundUnits: number;
}

/**
 * An admin cancels a customer's order with the same refund policy as the API (contract §8, §9).
 * The audit row is written in the cancel's own transaction, from the transition that was
 * applied, so the log can never disagree with the refund.
 */
export async function cancelOrderAsAdmin(
  ctx: AppContext,
  options: { orderId: number; actor: string },
): Promise<AdminCancelResult> {
  const found = await findOrderById(ctx.db, options.orderId);
  if (!found) throw new DomainError('order_not_found', { orderId: options.orderId });
  let result: AdminCancelResult | undefined;
  const outcome = await cancelOrder(ctx, {
    accountId: found.account_id,
    orderId: found.id,
    actor: options.actor,
    onCancelled: async (trx, { order, transition }) => {
      result = { orderId: order.id, status: transition.status, refundUnits: transition.refundUnits };
      await appendAudit(trx, {
        actor: options.actor,
        action: 'order.cancel',
        targetAccountId: order.account_id,
        details: {
          orderId: order.id,
          status: { from: order.status, to: transition.status },
          refund: formatUnits(transition.refundUnits),
          remains: transition.remains,
        },
        createdAt: ctx.clock.now(),
      });
    },
  });
  if (!outcome.ok) throw refusalError(outcome.refusal, found.id);
  // The order was found above: a cancel that reports neither success nor refusal cannot happen.
  if (!result) throw new Error(`cancel of order ${found.id} applied nothing`);
  return result;
}

function refusalError(refusal: CancelRefusal, orderId: number): DomainError {
  switch (refusal.code) {
    case 'order_not_cancellable':
      return new DomainError('order_not_cancellable', refusal.details);
    case 'cancel_not_supported':
      return new DomainError('cancel_not_supported');
    case 'incorrect_order_id':
      return new DomainError('order_not_found', { orderId });
  }
}
