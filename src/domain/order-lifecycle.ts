import type { Refusal } from './errors.js';
import { mulDivHalfUp, type Units } from './money.js';

/** contract §7: the status words, exactly. */
export const ORDER_STATUSES = [
  'Pending',
  'In progress',
  'Completed',
  'Partial',
  'Canceled',
  'Error',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * contract §10: the one table of allowed transitions. Every decide* guard below asks it whether
 * the step's possible outcome is allowed from the order's status (a delivery step may end
 * Completed, a failure Partial...), so the table and the guards cannot disagree.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  Pending: ['In progress', 'Canceled', 'Error'],
  'In progress': ['Completed', 'Canceled', 'Partial', 'Error'],
  Completed: [],
  Partial: [],
  Canceled: [],
  Error: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isFinal(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Still being delivered (Pending or In progress): the one test of "is this order open". */
export function isOpen(status: OrderStatus): boolean {
  return !isFinal(status);
}

/** A status word from outside (a filter in a URL), or undefined when it is not one. */
export function parseOrderStatus(text: string | undefined): OrderStatus | undefined {
  return ORDER_STATUSES.find((status) => status === text);
}

/** contract §9: after this many consecutive failed attempts the order ends Partial. */
export const MAX_CONSECUTIVE_FAILURES = 5;

/** What the lifecycle needs to know of an order; nothing of storage. */
export interface OrderState {
  readonly status: OrderStatus;
  readonly quantity: number;
  readonly remains: number;
  readonly chargeUnits: Units;
  readonly refundedUnits: Units;
  readonly failedAttempts: number;
}

/** The outcome of a lifecycle step: the order's next state and the refund to pay with it. */
export interface Transition {
  readonly status: OrderStatus;
  readonly remains: number;
  readonly failedAttempts: number;
  readonly refundUnits: Units;
}

/** Why the lifecycle refuses a step: a code the API, the web and the CLI each word their way. */
export type LifecycleRefusal = Extract<
  Refusal,
  { code: 'order_not_cancellable' | 'cancel_not_supported' | 'order_not_open' | 'delivered_quantity_invalid' }
>;

export type Decision<T> = { ok: true; value: T } | { ok: false; refusal: LifecycleRefusal };

const refuse = (refusal: LifecycleRefusal): { ok: false; refusal: LifecycleRefusal } => ({
  ok: false,
  refusal,
});

/** The order's status allows no such step. */
const notOpen = (order: OrderState) => refuse({ code: 'order_not_open', details: { status: order.status } });

/** contract §9: 50% of the undelivered part, half up. */
export function halfUndeliveredRefund(order: OrderState): Units {
  return mulDivHalfUp(order.chargeUnits, order.remains, 2 * order.quantity);
}

/** contract §9: the whole undelivered part, half up. */
export function undeliveredRefund(order: OrderState): Units {
  return mulDivHalfUp(order.chargeUnits, order.remains, order.quantity);
}

/** contract §8 and §9: the refund and final status of a cancel, from the delivery recorded now. */
export function decideCancel(order: OrderState, canCancel: boolean): Decision<Transition> {
  if (!canTransition(order.status, 'Canceled')) {
    return refuse({ code: 'order_not_cancellable', details: { status: order.status } });
  }
  if (!canCancel) return refuse({ code: 'cancel_not_supported', details: {} });
  const delivered = order.quantity - order.remains;
  let next: Pick<Transition, 'status' | 'refundUnits'>;
  if (delivered === 0) next = { status: 'Canceled', refundUnits: order.chargeUnits };
  else if (2 * delivered < order.quantity)
    next = { status: 'Partial', refundUnits: halfUndeliveredRefund(order) };
  else next = { status: 'Partial', refundUnits: 0 };
  return { ok: true, value: { ...next, remains: order.remains, failedAttempts: order.failedAttempts } };
}

/** Delivery starts: Pending → In progress. */
export function decideStart(order: OrderState): Decision<Transition> {
  if (!canTransition(order.status, 'In progress')) return notOpen(order);
  return {
    ok: true,
    value: { status: 'In progress', remains: order.remains, failedAttempts: 0, refundUnits: 0 },
  };
}

/** A successful delivery step of `deliveredQuantity` units; a success resets the failure count. */
export function decideDelivery(order: OrderState, deliveredQuantity: number): Decision<Transition> {
  if (!canTransition(order.status, 'Completed')) return notOpen(order);
  if (!Number.isSafeInteger(deliveredQuantity) || deliveredQuantity < 0)
    return refuse({ code: 'delivered_quantity_invalid', details: {} });
  const remains = Math.max(0, order.remains - deliveredQuantity);
  const status: OrderStatus = remains === 0 ? 'Completed' : 'In progress';
  return { ok: true, value: { status, remains, failedAttempts: 0, refundUnits: 0 } };
}

/** A failed attempt (content gone, account private); the fifth in a row ends the order Partial. */
export function decideFailedAttempt(order: OrderState): Decision<Transition> {
  if (!canTransition(order.status, 'Partial')) return notOpen(order);
  const failedAttempts = order.failedAttempts + 1;
  if (failedAttempts < MAX_CONSECUTIVE_FAILURES) {
    return {
      ok: true,
      value: { status: 'In progress', remains: order.remains, failedAttempts, refundUnits: 0 },
    };
  }
  const refundUnits = halfUndeliveredRefund(order);
  return { ok: true, value: { status: 'Partial', remains: order.remains, failedAttempts, refundUnits } };
}

/**
 * The delivery was given up for good (an upstream provider reports the order Partial: content
 * gone, account private). contract §9 treats it as the five failed attempts: Partial, with 50%
 * of the undelivered part refunded.
 */
export function decideAbandoned(order: OrderState): Decision<Transition> {
  if (!canTransition(order.status, 'Partial')) return notOpen(order);
  return {
    ok: true,
    value: {
      status: 'Partial',
      remains: order.remains,
      failedAttempts: order.failedAttempts,
      refundUnits: halfUndeliveredRefund(order),
    },
  };
}

/** An internal failure on our side: Error, with the whole undelivered part refunded. */
export function decideInternalError(order: OrderState): Decision<Transition> {
  if (!canTransition(order.status, 'Error')) return notOpen(order);
  return {
    ok: true,
    value: {
      status: 'Error',
      remains: order.remains,
      failedAttempts: order.failedAttempts,
      refundUnits: undeliveredRefund(order),
    },
  };
}
