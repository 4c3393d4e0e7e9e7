import type { AppContext } from './context.js';
import { type RecordedOrder, recordOperatorReport } from './record-order-progress.js';

/**
 * `inspiria order fail`: a failed delivery attempt (content gone, account private). The fifth
 * in a row ends the order Partial with 50% of the undelivered part refunded (contract §9).
 * A Pending order starts first.
 */
export function recordFailedAttempt(
  ctx: AppContext,
  options: { orderId: number; actor: string },
): Promise<RecordedOrder> {
  return recordOperatorReport(ctx, {
    orderId: options.orderId,
    actor: options.actor,
    action: 'order.fail',
    report: () => ({ kind: 'failed_attempt' }),
  });
}
