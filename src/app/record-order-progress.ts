import { applyReportInTransaction } from '../app/apply-delivery-report.js';
import { effectiveBackend } from '../domain/backends.js';
import type { DeliveryReport } from '../domain/delivery-report.js';
import { deliverableUnits, deliveredQuantity, runQuantity } from '../domain/drip-feed.js';
import { DomainError } from '../domain/errors.js';
import { isOpen } from '../domain/order-lifecycle.js';
import { type AuditAction, appendAudit } from '../storage/audit-repository.js';
import { findOrderById } from '../storage/orders-repository.js';
import type { OrderRow } from '../storage/schema.js';
import { findService } from '../storage/services-repository.js';
import type { AppContext } from './context.js';
import { retryOnStaleVersion, STALE } from './retry-on-stale-version.js';
import { toDripOrder } from './sync-order-runs.js';

export interface RecordedOrder {
  orderId: number;
  status: string;
  startCount: number;
  remains: number;
  failedAttempts: number;
}

const toRecorded = (order: OrderRow): RecordedOrder => ({
  orderId: order.id,
  status: order.status,
  startCount: order.start_count,
  remains: order.remains,
  failedAttempts: order.failed_attempts,
});

/**
 * Applies what a person did for an order of the operator queue, as one version-checked step, and
 * audits it. Orders of the simulator or of an upstream provider are refused: their backend owns
 * them. Shared by record-order-progress and record-failed-attempt.
 */
export async function recordOperatorReport(
  ctx: AppContext,
  options: {
    orderId: number;
    actor: string;
    action: AuditAction;
    details?: object;
    report: (order: OrderRow) => DeliveryReport;
  },
): Promise<RecordedOrder> {
  return retryOnStaleVersion(`the operator's step on order ${options.orderId}`, () =>
    ctx.db.transaction().execute(async (trx) => {
      const order = await findOrderById(trx, options.orderId);
      if (!order) throw new DomainError('order_not_found', { orderId: options.orderId });
      const backend = effectiveBackend(order.backend, await findService(trx, order.service_id));
      if (backend !== 'operator') {
        throw new DomainError('order_not_operator', { orderId: order.id, backend });
      }
      const nowMs = ctx.clock.now();
      const result = await applyReportInTransaction(trx, {
        order,
        report: options.report(order),
        patch: { backend: 'operator' },
        nowMs,
        actor: options.actor,
      });
      if (result === 'refused') {
        throw new DomainError('order_not_open', { orderId: order.id, status: order.status });
      }
      if (result === 'stale') return STALE;
      await appendAudit(trx, {
        actor: options.actor,
        action: options.action,
        targetAccountId: order.account_id,
        details: { orderId: order.id, ...options.details },
        createdAt: nowMs,
      });
      return toRecorded((await findOrderById(trx, order.id)) as OrderRow);
    }),
  );
}

/**
 * Drip-feed through the operator: each run is a delivery of its quantity, and a person may deliver
 * the runs that are due (several at once if they fell behind), never one ahead of its time.
 */
function refuseRunsNotDue(order: OrderRow, units: number, nowMs: number): void {
  const drip = toDripOrder(order);
  if (!drip || (order.status !== 'Pending' && order.status !== 'In progress')) return;
  const allowed = deliverableUnits(drip, nowMs);
  if (deliveredQuantity(drip) + units <= allowed) return;
  throw new DomainError('drip_run_not_due', {
    orderId: order.id,
    runNumber: Math.floor(allowed / runQuantity(drip)) + 1,
  });
}

/**
 * `inspiria order progress`: adds `deliveredQuantity` delivered units (at most what remains).
 * A Pending order starts first, with `startCount` when given (contract §10).
 */
export function recordOrderProgress(
  ctx: AppContext,
  options: { orderId: number; deliveredQuantity: number; startCount?: number; actor: string },
): Promise<RecordedOrder> {
  const { deliveredQuantity, startCount } = options;
  if (!Number.isSafeInteger(deliveredQuantity) || deliveredQuantity < 1) {
    throw new DomainError('delivered_quantity_invalid');
  }
  if (startCount !== undefined && (!Number.isSafeInteger(startCount) || startCount < 0)) {
    throw new DomainError('start_count_invalid');
  }
  return recordOperatorReport(ctx, {
    orderId: options.orderId,
    actor: options.actor,
    action: 'order.progress',
    details: { deliveredQuantity, ...(startCount === undefined ? {} : { startCount }) },
    report: (order) => {
      if (deliveredQuantity > order.remains && isOpen(order.status)) {
        throw new DomainError('delivered_exceeds_remains', { orderId: order.id, remains: order.remains });
      }
      refuseRunsNotDue(order, deliveredQuantity, ctx.clock.now());
      return {
        kind: 'deliver',
        units: deliveredQuantity,
        ...(startCount === undefined ? {} : { startCount }),
      };
    },
  });
}
