import { ORDER_STATUSES, type OrderState, type OrderStatus } from '../domain/order-lifecycle.js';
import type { OrderRow } from '../storage/schema.js';

function toOrderStatus(text: string): OrderStatus {
  const status = ORDER_STATUSES.find((candidate) => candidate === text);
  if (!status) throw new Error(`order has an unknown status: ${text}`);
  return status;
}

/** The lifecycle's view of a stored order. */
export function toOrderState(order: OrderRow): OrderState {
  return {
    status: toOrderStatus(order.status),
    quantity: order.quantity,
    remains: order.remains,
    chargeUnits: order.charge_units,
    refundedUnits: order.refunded_units,
    failedAttempts: order.failed_attempts,
  };
}
