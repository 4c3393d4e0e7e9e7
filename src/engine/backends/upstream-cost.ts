import { patchOrder } from '../../app/apply-delivery-report.js';
import type { OrderEnginePatch } from '../../app/apply-order-transition.js';
import type { AppContext } from '../../app/context.js';
import { eurUnitsOf, nextUpstreamCharge, parseExactDecimal } from '../../domain/order-cost.js';
import type { OrderRow, ProviderRow } from '../../storage/schema.js';
import type { UpstreamEndpoint } from '../../upstream/upstream-client.js';
import { fetchUpstreamStatuses } from '../../upstream/upstream-client.js';
import { parseUpstreamStatus } from '../../upstream/upstream-status.js';

/**
 * upstream_state of an order we ended ourselves (a cancel) whose cancel the upstream has taken:
 * it is still polled, for its charge only, until the upstream reports a final status. Without
 * this the cost stayed at whatever the upstream had charged before our cancel (or none at all).
 */
export const CANCEL_SENT = 'cancel_sent';

/**
 * What the upstream charged us for the order, from its `charge` in the status answer: the first
 * figure, then a lower one as it refunds (Partial, Canceled). In EUR at the provider's rate.
 */
export function upstreamCost(
  provider: ProviderRow | undefined,
  order: OrderRow,
  entry: unknown,
): OrderEnginePatch {
  const reported = (entry as { charge?: unknown } | null)?.charge;
  const charge = nextUpstreamCharge(order.upstream_charge, reported);
  const decimal = charge === undefined ? undefined : parseExactDecimal(charge);
  const costUnits = decimal && provider ? eurUnitsOf(decimal, provider.eur_rate_micros) : undefined;
  return costUnits === undefined ? {} : { upstream_charge: charge, cost_units: costUnits };
}

export interface SettleRun {
  readonly ctx: AppContext;
  readonly provider: ProviderRow | undefined;
  readonly pollMs: number;
  /** A failed poll: retried, and given up after the give-up time like a cancel to forward. */
  readonly onFailure: (order: OrderRow, reason: string) => Promise<void>;
}

/**
 * Polls orders we cancelled after they were sent upstream. Our order's status and refund are
 * already decided and never change here; only the cost follows the upstream's answer, and the
 * order is closed upstream once that answer is final (Canceled, Partial, Completed...).
 */
export async function settleCancelledOrders(
  run: SettleRun,
  orders: OrderRow[],
  endpoint: UpstreamEndpoint,
): Promise<void> {
  const reply = await fetchUpstreamStatuses(
    endpoint,
    orders.map((order) => order.upstream_order_id as string),
  );
  for (const order of orders) {
    if (!reply.ok) {
      await run.onFailure(order, `status after cancel: ${reply.failure.message}`);
      continue;
    }
    const entry = reply.value.get(order.upstream_order_id as string);
    const parsed = parseUpstreamStatus(entry, { quantity: order.quantity, remains: order.remains });
    if (!parsed.ok) {
      await run.onFailure(order, `status after cancel: ${parsed.reason}`);
      continue;
    }
    const isFinalUpstream = parsed.report.kind === 'progress' && parsed.report.ending !== undefined;
    await patchOrder(run.ctx, order.id, {
      ...upstreamCost(run.provider, order, entry),
      retry_count: 0,
      retry_since: null,
      ...(isFinalUpstream ? { upstream_state: 'closed' } : { next_run_at: run.ctx.clock.now() + run.pollMs }),
    });
  }
}
