import { decideCancel, type LifecycleRefusal } from '../domain/order-lifecycle.js';
import { findOrderOfAccount } from '../storage/orders-repository.js';
import type { OrderRow } from '../storage/schema.js';
import { findService } from '../storage/services-repository.js';
import type { AppContext } from './context.js';
import { toOrderState } from './order-state.js';

export type CancelPreview =
  | { ok: true; order: OrderRow; serviceName: string; status: string; refundUnits: number }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_cancellable'; order: OrderRow; refusal: LifecycleRefusal };

/**
 * What a cancel would do now (contract §9), decided by the same pure function the cancel
 * uses. The cancel itself decides again from the state at commit, so a delivery in between
 * can only lower the refund shown here.
 */
export async function previewCancel(
  ctx: AppContext,
  options: { accountId: number; orderId: number },
): Promise<CancelPreview> {
  const order = await findOrderOfAccount(ctx.db, options.accountId, options.orderId);
  if (!order) return { ok: false, reason: 'not_found' };
  const service = await findService(ctx.db, order.service_id);
  const decision = decideCancel(toOrderState(order), service?.can_cancel === 1);
  if (!decision.ok) return { ok: false, reason: 'not_cancellable', order, refusal: decision.refusal };
  return {
    ok: true,
    order,
    serviceName: service?.name ?? String(order.service_id),
    status: decision.value.status,
    refundUnits: decision.value.refundUnits,
  };
}
