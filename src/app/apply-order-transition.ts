import type { Updateable } from 'kysely';
import { operatorCostUnits } from '../domain/order-cost.js';
import type { Transition } from '../domain/order-lifecycle.js';
import { postLedgerEntry } from '../storage/ledger-repository.js';
import { updateOrderAtVersion } from '../storage/orders-repository.js';
import type { Executor, OrderRow, OrdersTable } from '../storage/schema.js';
import { syncOrderRuns } from './sync-order-runs.js';

/** Engine bookkeeping written with a transition (schedule, lease, upstream link); never money. */
export type OrderEnginePatch = Omit<
  Updateable<OrdersTable>,
  'id' | 'version' | 'status' | 'remains' | 'failed_attempts' | 'refunded_units' | 'charge_units'
>;

/**
 * Writes a lifecycle transition decided by the domain: the order's new state and, with it,
 * its refund as a ledger entry, in the caller's transaction. Returns false, having written
 * nothing, when the order changed since it was read; the caller reads it again and decides anew.
 */
export async function applyOrderTransition(
  trx: Executor,
  options: {
    order: OrderRow;
    transition: Transition;
    nowMs: number;
    startCount?: number;
    actor?: string;
    patch?: OrderEnginePatch;
  },
): Promise<boolean> {
  const { order, transition, nowMs } = options;
  const isUpdated = await updateOrderAtVersion(trx, order.id, order.version, {
    ...options.patch,
    status: transition.status,
    remains: transition.remains,
    failed_attempts: transition.failedAttempts,
    refunded_units: order.refunded_units + transition.refundUnits,
    updated_at: nowMs,
    // The end of the order's delivery: what the average time per service measures.
    ...(transition.status === 'Completed' ? { completed_at: nowMs } : {}),
    ...(options.startCount === undefined ? {} : { start_count: options.startCount }),
    // An operator-queue order costs us what has been delivered so far.
    ...(order.cost_per_1000_units === null
      ? {}
      : { cost_units: operatorCostUnits(order.quantity - transition.remains, order.cost_per_1000_units) }),
  });
  if (!isUpdated) return false;
  // A drip-feed order's runs follow every step of the order, in the same transaction.
  if (order.runs !== null) {
    await syncOrderRuns(trx, { ...order, status: transition.status, remains: transition.remains }, nowMs);
  }
  if (transition.refundUnits > 0) {
    await postLedgerEntry(trx, {
      accountId: order.account_id,
      kind: 'refund',
      amountUnits: transition.refundUnits,
      orderId: order.id,
      reason: `order ${order.id}: ${transition.status}`,
      actor: options.actor ?? null,
      createdAt: nowMs,
    });
  }
  return true;
}
