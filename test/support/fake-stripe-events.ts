import Stripe from 'stripe';
import type { FakeCheckoutSession } from './fake-stripe-checkout.js';
import { stripeId } from './fake-stripe-wire.js';

/** The objects a session's payment creates at Stripe, named once so every event agrees on them. */
export interface SessionPayment {
  paymentIntentId: string;
  chargeId: string;
  disputeId: string;
}

export function newSessionPayment(): SessionPayment {
  return { paymentIntentId: stripeId('pi_3'), chargeId: stripeId('ch_3'), disputeId: stripeId('dp_1') };
}

export type SessionEventType =
  | 'checkout.session.completed'
  | 'checkout.session.async_payment_succeeded'
  | 'checkout.session.async_payment_failed'
  | 'checkout.session.expired';

/** What each event says about the session: Stripe sends the session as it stands after the change. */
export function sessionStateAfter(
  type: SessionEventType,
  session: FakeCheckoutSession,
  payment: SessionPayment,
): Partial<FakeCheckoutSession> {
  const paid = { status: 'complete', payment_intent: payment.paymentIntentId, url: null } as const;
  switch (type) {
    case 'checkout.session.completed':
      return {
        ...paid,
        payment_status: 'paid',
        customer_details: {
          email: session.customer_email ?? 'buyer@example.com',
          name: 'Test Buyer',
          address: null,
          phone: null,
        },
      };
    case 'checkout.session.async_payment_succeeded':
      return { ...paid, payment_status: 'paid' };
    case 'checkout.session.async_payment_failed':
      return { ...paid, payment_status: 'unpaid' };
    case 'checkout.session.expired':
      return { status: 'expired', payment_status: 'unpaid', url: null };
  }
}

/** A Charge as `charge.refunded` carries it; `amount_refunded` is the running total of every refund. */
export function chargeObject(
  session: FakeCheckoutSession,
  payment: SessionPayment,
  amountRefundedCents: number,
  nowSeconds: number,
) {
  return {
    id: payment.chargeId,
    object: 'charge',
    amount: session.amount_total,
    amount_captured: session.amount_total,
    amount_refunded: amountRefundedCents,
    balance_transaction: stripeId('txn_3'),
    captured: true,
    created: nowSeconds,
    currency: session.currency,
    customer: session.customer,
    description: null,
    disputed: false,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: payment.paymentIntentId,
    payment_method: stripeId('pm_1'),
    refunded: amountRefundedCents >= session.amount_total,
    status: 'succeeded',
  };
}

export function disputeObject(
  session: FakeCheckoutSession,
  payment: SessionPayment,
  options: { amountCents: number; status: string; disputeId: string },
  nowSeconds: number,
) {
  return {
    id: options.disputeId,
    object: 'dispute',
    amount: options.amountCents,
    balance_transactions: [],
    charge: payment.chargeId,
    created: nowSeconds,
    currency: session.currency,
    evidence_details: {
      due_by: nowSeconds + 7 * 24 * 60 * 60,
      has_evidence: false,
      past_due: false,
      submission_count: 0,
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: payment.paymentIntentId,
    reason: 'fraudulent',
    status: options.status,
  };
}

/**
 * The webhook body Stripe posts. Stripe pretty-prints it with two spaces, so a receiver that
 * re-serialises the parsed JSON instead of verifying the raw bytes fails here as it would live.
 */
export function eventPayload(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; createdSeconds: number },
): { id: string; payload: string } {
  const id = options.id ?? stripeId('evt_1');
  const event = {
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: options.createdSeconds,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
  return { id, payload: JSON.stringify(event, null, 2) };
}
