import { type DeliveryReport, decideReport } from '../domain/delivery-report.js';
import { isFinal } from '../domain/order-lifecycle.js';
import { findOrderById, updateOrderAtVersion } from '../storage/orders-repository.js';
import type { Executor, OrderRow } from '../storage/schema.js';
import { applyOrderTransition, type OrderEnginePatch } from './apply-order-transition.js';
import type { AppContext } from './context.js';
import { toOrderState } from './order-state.js';
import { retryOnStaleVersion, STALE } from './retry-on-stale-version.js';

export type ApplyOutcome = 'applied' | 'unchanged' | 'stale' | 'refused';

export interface ApplyReportOptions {
  readonly order: OrderRow;
  readonly report: DeliveryReport;
  /** Written with the step whatever it decides (schedule, retry count, backend stamp). */
  readonly patch?: OrderEnginePatch;
  /** Also written when the step ends the order. */
  readonly finalPatch?: OrderEnginePatch;
  readonly nowMs: number;
  readonly actor?: string;
}

/**
 * Turns one backend report into one version-checked write, in the caller's transaction, on the
 * order as read in that transaction (`options.order`). A lost race writes nothing ('stale');
 * the next round reads the order again. The refund, if any, is written with it.
 */
export async function applyReportInTransaction(
  trx: Executor,
  options: ApplyReportOptions,
): Promise<ApplyOutcome> {
  const { order, nowMs } = options;
  const decision = decideReport(toOrderState(order), options.report);
  if (!decision.ok) return 'refused';
  if (decision.value === undefined) {
    if (!options.patch) return 'unchanged';
    const isWritten = await updateOrderAtVersion(trx, order.id, order.version, {
      ...options.patch,
      updated_at: nowMs,
    });
    return isWritten ? 'unchanged' : 'stale';
  }
  const { transition, startCount } = decision.value;
  const isWritten = await applyOrderTransition(trx, {
    order,
    transition,
    nowMs,
    ...(startCount === undefined ? {} : { startCount }),
    ...(options.actor ? { actor: options.actor } : {}),
    patch: {
      ...options.patch,
      ...(startCount === undefined ? {} : { started_at: nowMs }),
      ...(isFinal(transition.status) ? options.finalPatch : {}),
    },
  });
  return isWritten ? 'applied' : 'stale';
}

/**
 * Reads the order afresh and applies a report in its own transaction. With `expectVersion`, a
 * report decided from an older read is dropped: a worker whose lease passed to another cannot
 * apply a step twice.
 */
export async function applyReport(
  ctx: AppContext,
  options: Omit<ApplyReportOptions, 'order' | 'nowMs'> & { orderId: number; expectVersion?: number },
): Promise<ApplyOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const order = await findOrderById(trx, options.orderId);
    if (!order) return 'refused';
    if (options.expectVersion !== undefined && order.version !== options.expectVersion) return 'stale';
    return applyReportInTransaction(trx, { ...options, order, nowMs: ctx.clock.now() });
  });
}

/** Writes engine bookkeeping only, whatever the order's status, retrying lost races. */
export async function patchOrder(ctx: AppContext, orderId: number, patch: OrderEnginePatch): Promise<void> {
  await retryOnStaleVersion(`engine bookkeeping of order ${orderId}`, async () => {
    const order = await findOrderById(ctx.db, orderId);
    if (!order) return;
    const patched = { ...patch, updated_at: ctx.clock.now() };
    return (await updateOrderAtVersion(ctx.db, orderId, order.version, patched)) ? undefined : STALE;
  });
}
