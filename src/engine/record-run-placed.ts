import type { OrderEnginePatch } from '../app/apply-order-transition.js';
import type { AppContext } from '../app/context.js';
import { syncOrderRuns } from '../app/sync-order-runs.js';
import { findOrderById, updateOrderAtVersion } from '../storage/orders-repository.js';

/**
 * A drip-feed run was placed upstream: the order's bookkeeping (its current upstream order) and
 * the run's row (started, with that upstream id) are written together, retrying lost races.
 */
export async function recordRunPlaced(
  ctx: AppContext,
  orderId: number,
  patch: OrderEnginePatch & { upstream_order_id: string },
): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const isWritten = await ctx.db.transaction().execute(async (trx) => {
      const order = await findOrderById(trx, orderId);
      if (!order) return true;
      const nowMs = ctx.clock.now();
      if (!(await updateOrderAtVersion(trx, orderId, order.version, { ...patch, updated_at: nowMs })))
        return false;
      await syncOrderRuns(trx, order, nowMs, { upstreamOrderId: patch.upstream_order_id });
      return true;
    });
    if (isWritten) return;
  }
  throw new Error(`order ${orderId} kept changing while the engine recorded its drip-feed run`);
}
