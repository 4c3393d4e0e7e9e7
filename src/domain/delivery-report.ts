import {
  type Decision,
  decideAbandoned,
  decideDelivery,
  decideFailedAttempt,
  decideInternalError,
  decideStart,
  type OrderState,
  type Transition,
} from './order-lifecycle.js';

/**
 * What a delivery backend observed about one order. The engine turns it into one lifecycle
 * transition with `decideReport`; backends never decide statuses or refunds themselves.
 */
export type DeliveryReport =
  /** Nothing happened yet (not due, upstream still Pending). */
  | { readonly kind: 'wait' }
  /** Delivery starts; `startCount` is the count read at the start (contract §10). */
  | { readonly kind: 'start'; readonly startCount: number }
  /** A successful attempt that delivered `units` more. */
  | { readonly kind: 'deliver'; readonly units: number; readonly startCount?: number }
  /**
   * An absolute figure (from an upstream provider): `remains` left, and optionally how the
   * delivery ended. Repeating the same report changes nothing, and remains never rise.
   */
  | {
      readonly kind: 'progress';
      readonly remains: number;
      readonly startCount?: number;
      readonly ending?: 'completed' | 'abandoned' | 'failed';
    }
  /** A failed attempt (content gone, account private). */
  | { readonly kind: 'failed_attempt'; readonly startCount?: number }
  /** A failure on our side: the order ends Error. */
  | { readonly kind: 'internal_error' };

export interface StepDecision {
  readonly transition: Transition;
  /** Set when this step starts the delivery. */
  readonly startCount?: number;
}

function after(state: OrderState, transition: Transition): OrderState {
  return {
    ...state,
    status: transition.status,
    remains: transition.remains,
    failedAttempts: transition.failedAttempts,
    refundedUnits: state.refundedUnits + transition.refundUnits,
  };
}

function lastStep(
  state: OrderState,
  report: Exclude<DeliveryReport, { kind: 'wait' | 'start' | 'internal_error' }>,
) {
  switch (report.kind) {
    case 'deliver':
      return decideDelivery(state, report.units);
    case 'failed_attempt':
      return decideFailedAttempt(state);
    case 'progress': {
      const remains = report.ending === 'completed' ? 0 : Math.min(state.remains, report.remains);
      const delivered = decideDelivery(state, state.remains - remains);
      if (!delivered.ok || report.ending === undefined || report.ending === 'completed') return delivered;
      const next = after(state, delivered.value);
      if (next.status !== 'In progress') return delivered;
      const ended = report.ending === 'abandoned' ? decideAbandoned(next) : decideInternalError(next);
      return ended.ok ? { ok: true as const, value: ended.value } : ended;
    }
  }
}

/**
 * Decides the one transition a report leads to, passing through In progress when the order is
 * still Pending (contract §10: Pending → In progress → ...). Returns undefined when the report
 * changes nothing, and a refusal when the order can no longer move (final, cancelled meanwhile).
 */
export function decideReport(order: OrderState, report: DeliveryReport): Decision<StepDecision | undefined> {
  if (report.kind === 'wait') return { ok: true, value: undefined };
  if (report.kind === 'internal_error') {
    const decision = decideInternalError(order);
    return decision.ok ? { ok: true, value: { transition: decision.value } } : decision;
  }
  let state = order;
  let startCount: number | undefined;
  if (state.status === 'Pending') {
    const started = decideStart(state);
    if (!started.ok) return started;
    state = after(state, started.value);
    startCount = report.startCount ?? 0;
    if (report.kind === 'start') return { ok: true, value: { transition: started.value, startCount } };
  } else if (report.kind === 'start') {
    return { ok: true, value: undefined };
  }
  const last = lastStep(state, report);
  if (!last.ok) return last;
  const transition = last.value;
  const isUnchanged =
    startCount === undefined &&
    transition.status === order.status &&
    transition.remains === order.remains &&
    transition.failedAttempts === order.failedAttempts &&
    transition.refundUnits === 0;
  if (isUnchanged) return { ok: true, value: undefined };
  return { ok: true, value: { transition, ...(startCount === undefined ? {} : { startCount }) } };
}
