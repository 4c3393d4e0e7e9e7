import type { Refusal } from '../domain/errors.js';
import { decideCancel, type Transition } from '../domain/order-lifecycle.js';
import { findOrderOfAccount } from '../storage/orders-repository.js';
import type { Executor, OrderRow } from '../storage/schema.js';
import { findService } from '../storage/services-repository.js';
import { applyOrderTransition } from './apply-order-transition.js';
import type { AppContext } from './context.js';
import { parseOrderId } from './order-ids.js';
import { toOrderState } from './order-state.js';
import { retryOnStaleVersion, STALE } from './retry-on-stale-version.js';

/** Why one order of a cancel was refused: the API words each code as contract §8 says. */
export type CancelRefusal = Extract<
  Refusal,
  { code: 'incorrect_order_id' | 'order_not_cancellable' | 'cancel_not_supported' }
>;

/** A cancel that went through says what it refunded, decided at commit (it may differ from a preview). */
export type CancelOutcome = { ok: true; refundUnits: number } | { ok: false; refusal: CancelRefusal };

const INCORRECT_ORDER_ID: CancelOutcome = { ok: false, refusal: { code: 'incorrect_order_id', details: {} } };

/** Runs inside the cancel's own transaction once the cancel is applied (an admin's audit row). */
export type OnCancelled = (
  trx: Executor,
  cancelled: { order: OrderRow; transition: Transition },
) => Promise<void>;

/**
 * Cancels one order with the refund policy. The refund is computed from the delivery recorded
 * when the cancel commits: if a delivery step commits first, the version check fails and the
 * cancel decides again from the new state (contract §8).
 */
export async function cancelOrder(
  ctx: AppContext,
  options: { accountId: number; orderId: number; actor?: string; onCancelled?: OnCancelled },
): Promise<CancelOutcome> {
  return retryOnStaleVersion(`cancel of order ${options.orderId}`, () =>
    ctx.db.transaction().execute(async (trx): Promise<CancelOutcome | typeof STALE> => {
      const order = await findOrderOfAccount(trx, options.accountId, options.orderId);
      if (!order) return INCORRECT_ORDER_ID;
      const service = await findService(trx, order.service_id);
      const decision = decideCancel(toOrderState(order), service?.can_cancel === 1);
      // Only a cancel's own refusals come back from decideCancel.
      if (!decision.ok) return { ok: false, refusal: decision.refusal as CancelRefusal };
      const isApplied = await applyOrderTransition(trx, {
        order,
        transition: decision.value,
        nowMs: ctx.clock.now(),
        ...(options.actor ? { actor: options.actor } : {}),
      });
      if (!isApplied) return STALE;
      await options.onCancelled?.(trx, { order, transition: decision.value });
      return { ok: true, refundUnits: decision.value.refundUnits };
    }),
  );
}

/** contract §8: each id of the batch cancelled on its own; the texts key the response. */
export async function cancelOrders(
  ctx: AppContext,
  options: { accountId: number; orderIds: readonly string[] },
): Promise<Map<string, CancelOutcome>> {
  const result = new Map<string, CancelOutcome>();
  for (const text of options.orderIds) {
    const orderId = parseOrderId(text);
    result.set(
      text,
      orderId === undefined
        ? INCORRECT_ORDER_ID
        : await cancelOrder(ctx, { accountId: options.accountId, orderId }),
    );
  }
  return result;
}
