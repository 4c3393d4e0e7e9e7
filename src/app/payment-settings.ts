import type { DepositLimits } from '../domain/payments.js';

/** What the customer is asked to transfer to; without an IBAN bank transfer is not offered. */
export interface BankAccount {
  readonly iban: string;
  readonly beneficiary: string;
  readonly bic: string | null;
}

/** The operator's details printed on receipts and mails. */
export interface BusinessDetails {
  readonly name: string;
  readonly address: string;
  readonly vatId: string | null;
  readonly email: string | null;
}

export interface CardCheckoutRequest {
  paymentId: number;
  reference: string;
  accountId: number;
  amountCents: number;
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  locale: 'it' | 'en';
}

/**
 * A card processor's event, translated from its wire format by the gateway: the use case sees
 * only what it decides on. Amounts are cents, as the processor counts them.
 */
export type CardEvent =
  | {
      kind: 'session_completed' | 'session_async_succeeded';
      eventId: string;
      type: string;
      sessionId: string;
      paymentStatus: string;
      amountCents: number | null;
      currency: string | null;
      paymentIntentId: string | null;
    }
  | { kind: 'session_async_failed' | 'session_expired'; eventId: string; type: string; sessionId: string }
  | {
      kind: 'charge_refunded';
      eventId: string;
      type: string;
      paymentIntentId: string | null;
      chargeId: string | null;
      amountRefundedCents: number;
      currency: string | null;
    }
  | {
      kind: 'dispute_created' | 'dispute_closed';
      eventId: string;
      type: string;
      paymentIntentId: string | null;
      chargeId: string | null;
      disputeId: string;
      amountCents: number;
      currency: string | null;
      status: string;
    }
  | { kind: 'ignored'; eventId: string; type: string };

/** Thrown by `parseWebhook` when the signature or its timestamp does not hold. */
export class InvalidWebhookSignature extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidWebhookSignature';
  }
}

export interface CardGateway {
  createCheckout(request: CardCheckoutRequest): Promise<{ sessionId: string; url: string }>;
  /** Checks the signature on the exact raw body, then translates the event. */
  parseWebhook(rawBody: Buffer | string, signatureHeader: string | undefined): CardEvent;
}

export interface PaymentSettings {
  readonly limits: DepositLimits;
  /** Bank-transfer requests a customer may have pending at once. */
  readonly maxOpenTransfers: number;
  readonly bank: BankAccount | null;
  /** Present only when a card processor is configured: otherwise cards are not offered. */
  readonly card: CardGateway | null;
  readonly business: BusinessDetails;
}

export const DEFAULT_PAYMENT_SETTINGS: PaymentSettings = Object.freeze({
  limits: Object.freeze({ minUnits: 100_000, maxUnits: 50_000_000 }),
  maxOpenTransfers: 3,
  bank: null,
  card: null,
  business: Object.freeze({ name: 'Inspiria', address: '', vatId: null, email: null }),
});
