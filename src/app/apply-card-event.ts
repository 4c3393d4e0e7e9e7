import { centsToUnits, isCredited, statusAfterRefund, unitsToCents } from '../domain/payments.js';
import {
  claimStripeEvent,
  findPaymentByIntentOrCharge,
  findPaymentBySession,
  lockPayment,
  settleStripeEvent,
  updatePayment,
  updatePaymentIf,
} from '../storage/payments-repository.js';
import type { Executor, PaymentRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { isUniqueViolation } from './database-errors.js';
import { creditPayment, reversePayment } from './payment-money.js';
import type { CardEvent } from './payment-settings.js';

/** What an event did, recorded with it and logged by the webhook. */
export type CardEventOutcome =
  | 'credited'
  | 'awaiting_payment'
  | 'failed'
  | 'expired'
  | 'refund_applied'
  | 'dispute_opened'
  | 'dispute_won'
  | 'dispute_lost'
  | 'duplicate'
  | 'unknown_payment'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'no_change'
  | 'ignored';

export interface CardEventResult {
  outcome: CardEventOutcome;
  paymentId: number | null;
}

const ACTOR = 'stripe';

/**
 * Applies one signed event from the card processor, exactly once: the event id is claimed
 * first (a second delivery waits for the first and then finds it), and every money movement
 * is conditional on the payment's state, so the same session in another event moves nothing.
 */
export async function applyCardEvent(ctx: AppContext, event: CardEvent): Promise<CardEventResult> {
  const nowMs = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (!(await claimStripeEvent(trx, { eventId: event.eventId, type: event.type, receivedAt: nowMs }))) {
        return { outcome: 'duplicate', paymentId: null } as const;
      }
      const result = await decide(trx, event, nowMs);
      await settleStripeEvent(trx, event.eventId, result);
      return result;
    });
  } catch (error) {
    // Two deliveries of one event raced on PostgreSQL: the first committed its claim.
    if (isUniqueViolation(error)) return { outcome: 'duplicate', paymentId: null };
    throw error;
  }
}

async function decide(trx: Executor, event: CardEvent, nowMs: number): Promise<CardEventResult> {
  switch (event.kind) {
    case 'session_completed':
    case 'session_async_succeeded':
      return completeSession(trx, event, nowMs);
    case 'session_async_failed':
    case 'session_expired':
      return endSession(trx, event, nowMs);
    case 'charge_refunded':
      return applyRefund(trx, event, nowMs);
    case 'dispute_created':
    case 'dispute_closed':
      return applyDispute(trx, event, nowMs);
    case 'ignored':
      return { outcome: 'ignored', paymentId: null };
  }
}

async function lockedBySession(trx: Executor, sessionId: string): Promise<PaymentRow | undefined> {
  const found = await findPaymentBySession(trx, sessionId);
  return found?.method === 'card' ? lockPayment(trx, found.id) : undefined;
}

async function completeSession(
  trx: Executor,
  event: Extract<CardEvent, { kind: 'session_completed' | 'session_async_succeeded' }>,
  nowMs: number,
): Promise<CardEventResult> {
  const payment = await lockedBySession(trx, event.sessionId);
  if (!payment) return { outcome: 'unknown_payment', paymentId: null };
  const paymentId = payment.id;
  if (event.currency?.toLowerCase() !== 'eur') return { outcome: 'currency_mismatch', paymentId };
  if (event.amountCents !== unitsToCents(Number(payment.amount_units)))
    return { outcome: 'amount_mismatch', paymentId };
  const intent = { stripe_payment_intent_id: event.paymentIntentId };
  // contract of Checkout: 'unpaid' on completion means a delayed method; its own event follows.
  if (event.paymentStatus !== 'paid') {
    await updatePayment(trx, paymentId, { ...intent, updated_at: nowMs });
    return { outcome: 'awaiting_payment', paymentId };
  }
  const isCreditedNow = await creditPayment(trx, {
    payment,
    creditedUnits: Number(payment.amount_units),
    fromStatuses: ['pending'],
    actor: ACTOR,
    nowMs,
    extra: intent,
  });
  return { outcome: isCreditedNow ? 'credited' : 'no_change', paymentId };
}

async function endSession(
  trx: Executor,
  event: Extract<CardEvent, { kind: 'session_async_failed' | 'session_expired' }>,
  nowMs: number,
): Promise<CardEventResult> {
  const payment = await lockedBySession(trx, event.sessionId);
  if (!payment) return { outcome: 'unknown_payment', paymentId: null };
  const status = event.kind === 'session_expired' ? 'expired' : 'failed';
  const isChanged = await updatePaymentIf(trx, payment.id, ['pending'], { status, updated_at: nowMs });
  return { outcome: isChanged ? status : 'no_change', paymentId: payment.id };
}

async function lockedByCharge(
  trx: Executor,
  ids: { paymentIntentId: string | null; chargeId: string | null },
): Promise<PaymentRow | undefined> {
  const found = await findPaymentByIntentOrCharge(trx, ids);
  return found ? lockPayment(trx, found.id) : undefined;
}

const lostUnits = (payment: PaymentRow) =>
  payment.dispute_status === 'lost' ? Number(payment.disputed_units) : 0;

async function applyRefund(
  trx: Executor,
  event: Extract<CardEvent, { kind: 'charge_refunded' }>,
  nowMs: number,
): Promise<CardEventResult> {
  const payment = await lockedByCharge(trx, event);
  if (!payment || !isCredited(payment.status))
    return { outcome: 'unknown_payment', paymentId: payment?.id ?? null };
  if (event.currency?.toLowerCase() !== 'eur') return { outcome: 'currency_mismatch', paymentId: payment.id };
  const refundedUnits = Math.max(Number(payment.refunded_units), centsToUnits(event.amountRefundedCents));
  const reversed = await reversePayment(trx, {
    payment,
    refundedUnits,
    lostDisputeUnits: lostUnits(payment),
    status: statusAfterRefund(Number(payment.credited_units), refundedUnits, payment.status),
    reason: `card payment ${payment.reference} refunded`,
    actor: ACTOR,
    nowMs,
    extra: { stripe_charge_id: event.chargeId ?? payment.stripe_charge_id },
  });
  return { outcome: reversed > 0 ? 'refund_applied' : 'no_change', paymentId: payment.id };
}

async function applyDispute(
  trx: Executor,
  event: Extract<CardEvent, { kind: 'dispute_created' | 'dispute_closed' }>,
  nowMs: number,
): Promise<CardEventResult> {
  const payment = await lockedByCharge(trx, event);
  if (!payment || !isCredited(payment.status))
    return { outcome: 'unknown_payment', paymentId: payment?.id ?? null };
  const disputedUnits = centsToUnits(event.amountCents);
  const charge = { stripe_charge_id: event.chargeId ?? payment.stripe_charge_id };
  const undisputedStatus = statusAfterRefund(
    Number(payment.credited_units),
    Number(payment.refunded_units),
    'succeeded',
  );
  if (event.kind === 'dispute_created' || !['won', 'lost'].includes(event.status)) {
    if (payment.dispute_status === 'lost' || payment.dispute_status === 'won')
      return { outcome: 'no_change', paymentId: payment.id };
    await updatePayment(trx, payment.id, {
      status: 'disputed',
      dispute_status: 'open',
      disputed_units: disputedUnits,
      updated_at: nowMs,
      ...charge,
    });
    return { outcome: 'dispute_opened', paymentId: payment.id };
  }
  if (event.status === 'won') {
    await updatePayment(trx, payment.id, {
      status: undisputedStatus,
      dispute_status: 'won',
      updated_at: nowMs,
      ...charge,
    });
    return { outcome: 'dispute_won', paymentId: payment.id };
  }
  await reversePayment(trx, {
    payment,
    refundedUnits: Number(payment.refunded_units),
    lostDisputeUnits: disputedUnits,
    status: 'disputed',
    reason: `card payment ${payment.reference}: dispute lost`,
    actor: ACTOR,
    nowMs,
    extra: { dispute_status: 'lost', disputed_units: disputedUnits, ...charge },
  });
  return { outcome: 'dispute_lost', paymentId: payment.id };
}
