import { DomainError } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findOrderById } from '../storage/orders-repository.js';
import { cancelOrder } from './cancel-orders.js';
import type { AppContext } from './context.js';

export interface AdminCancelResult {
  orderId: number;
  status: string;
  refundUnits: number;
}

/**
 * An admin cancels a customer's order with the same refund policy as the API (contract §8, §9),
 * then audits it with the refund. The refund's ledger entry already names the admin as actor;
 * the audit row is written after the cancel commits, in its own transaction.
 */
export async function cancelOrderAsAdmin(
  ctx: AppContext,
  options: { orderId: number; actor: string },
): Promise<AdminCancelResult> {
  const before = await findOrderById(ctx.db, options.orderId);
  if (!before) throw new DomainError('not_found', {}, `no order ${options.orderId}`);
  const outcome = await cancelOrder(ctx, {
    accountId: before.account_id,
    orderId: before.id,
    actor: options.actor,
  });
  if (!outcome.ok)
    throw new DomainError('conflict', {}, `order ${before.id} cannot be canceled: ${outcome.reason}`);
  const after = (await findOrderById(ctx.db, before.id)) ?? before;
  const refundUnits = Number(after.refunded_units) - Number(before.refunded_units);
  await appendAudit(ctx.db, {
    actor: options.actor,
    action: 'order.cancel',
    targetAccountId: before.account_id,
    details: {
      orderId: before.id,
      statusBefore: before.status,
      statusAfter: after.status,
      refund: formatUnits(refundUnits),
      remains: Number(after.remains),
    },
    createdAt: ctx.clock.now(),
  });
  return { orderId: before.id, status: after.status, refundUnits };
}
