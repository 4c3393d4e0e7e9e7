import { currentRun, type DripOrder, runProjection } from '../domain/drip-feed.js';
import { isFinal, type OrderStatus } from '../domain/order-lifecycle.js';
import { findOrderRuns, updateOrderRun } from '../storage/order-runs-repository.js';
import type { Executor, OrderRow } from '../storage/schema.js';

/** The run arithmetic's view of a stored drip-feed order; undefined for an ordinary order. */
export function toDripOrder(
  order: Pick<OrderRow, 'quantity' | 'remains' | 'runs' | 'interval_minutes' | 'created_at'>,
): DripOrder | undefined {
  if (order.runs === null || order.interval_minutes === null) return undefined;
  return {
    quantity: order.quantity,
    remains: order.remains,
    runs: order.runs,
    intervalMinutes: order.interval_minutes,
    createdAt: order.created_at,
  };
}

/**
 * Brings a drip-feed order's runs in line with its state, in the transaction that changed the
 * order, so the runs never tell another story than the order. `started` marks the current run
 * begun before it delivered anything (an upstream order placed for it).
 */
export async function syncOrderRuns(
  trx: Executor,
  order: Pick<OrderRow, 'id' | 'quantity' | 'remains' | 'runs' | 'interval_minutes' | 'created_at'> & {
    status: string;
  },
  nowMs: number,
  started?: { upstreamOrderId: string | null },
): Promise<void> {
  const drip = toDripOrder(order);
  if (!drip) return;
  const status = order.status as OrderStatus;
  const current = currentRun(drip).index;
  for (const run of await findOrderRuns(trx, order.id)) {
    const index = run.run_number - 1;
    const isCurrentStarted =
      index === current &&
      (started !== undefined || run.started_at !== null || (index === 0 && status === 'In progress'));
    const next = runProjection({ ...drip, isFinal: isFinal(status) }, index, isCurrentStarted);
    const startedAt =
      run.started_at ??
      (next.status === 'waiting' || (next.delivered === 0 && next.status === 'stopped') ? null : nowMs);
    const upstreamOrderId = index === current && started ? started.upstreamOrderId : run.upstream_order_id;
    const finishedAt =
      run.finished_at ?? (next.status === 'done' || next.status === 'stopped' ? nowMs : null);
    if (
      next.status === run.status &&
      next.delivered === run.delivered &&
      startedAt === run.started_at &&
      finishedAt === run.finished_at &&
      upstreamOrderId === run.upstream_order_id
    )
      continue;
    await updateOrderRun(trx, order.id, run.run_number, {
      status: next.status,
      delivered: next.delivered,
      started_at: startedAt,
      finished_at: finishedAt,
      upstream_order_id: upstreamOrderId,
    });
  }
}
