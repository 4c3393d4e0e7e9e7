import { createRequire } from 'node:module';
import type Stripe from 'stripe';
import {
  type CardCheckoutRequest,
  type CardEvent,
  type CardGateway,
  InvalidWebhookSignature,
} from '../app/payment-settings.js';

/**
 * The card processor through Stripe's official SDK. This is the only file that knows Stripe's
 * wire format: it turns our checkout request into a Checkout Session and Stripe's events into
 * our `CardEvent`, so the use cases never read a Stripe object.
 */
export interface StripeGatewayOptions {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com in production; a fake on loopback in tests. */
  apiUrl: string;
  timeoutMs?: number;
}

/** Stripe's own window for a signed event's timestamp, in seconds. */
const SIGNATURE_TOLERANCE_S = 300;

/**
 * The SDK is some two hundred modules: loaded when a card payment or a webhook first needs it,
 * not by every process that reads the configuration (each CLI command, every API node).
 */
const requireModule = createRequire(import.meta.url);
function loadStripe(): typeof Stripe {
  return requireModule('stripe') as typeof Stripe;
}

export function createStripeGateway(options: StripeGatewayOptions): CardGateway {
  const url = new URL(options.apiUrl);
  let client: Stripe | undefined;
  const stripe = (): Stripe => {
    client ??= new (loadStripe())(options.secretKey, {
      host: url.hostname,
      port: url.port || (url.protocol === 'https:' ? '443' : '80'),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      // A retry could open a second session; our own idempotency key makes a retry by the
      // customer safe instead.
      maxNetworkRetries: 0,
      timeout: options.timeoutMs ?? 15_000,
    });
    return client;
  };
  return {
    async createCheckout(request) {
      const session = await stripe().checkout.sessions.create(sessionParams(request), {
        idempotencyKey: `inspiria-payment-${request.paymentId}`,
      });
      if (!session.url) throw new Error(`Stripe returned session ${session.id} without a URL`);
      return { sessionId: session.id, url: session.url };
    },
    parseWebhook(rawBody, signatureHeader) {
      if (!signatureHeader) throw new InvalidWebhookSignature('no Stripe-Signature header');
      let event: Stripe.Event;
      try {
        event = stripe().webhooks.constructEvent(
          rawBody,
          signatureHeader,
          options.webhookSecret,
          SIGNATURE_TOLERANCE_S,
        );
      } catch (error) {
        throw new InvalidWebhookSignature(error instanceof Error ? error.message : String(error));
      }
      return translateEvent(event);
    },
  };
}

function sessionParams(request: CardCheckoutRequest): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    line_items: [
      {
        price_data: {
          currency: 'eur',
          unit_amount: request.amountCents,
          product_data: {
            name: request.locale === 'it' ? 'Ricarica del saldo Inspiria' : 'Inspiria balance top-up',
          },
        },
        quantity: 1,
      },
    ],
    customer_email: request.customerEmail,
    client_reference_id: String(request.paymentId),
    metadata: {
      payment_id: String(request.paymentId),
      account_id: String(request.accountId),
      reference: request.reference,
    },
    payment_intent_data: {
      metadata: { payment_id: String(request.paymentId), reference: request.reference },
    },
    locale: request.locale,
    success_url: request.successUrl,
    cancel_url: request.cancelUrl,
  };
}

const idOf = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return null;
};

function translateEvent(event: Stripe.Event): CardEvent {
  const base = { eventId: event.id, type: event.type };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      return {
        ...base,
        kind: event.type === 'checkout.session.completed' ? 'session_completed' : 'session_async_succeeded',
        sessionId: session.id,
        paymentStatus: session.payment_status,
        amountCents: session.amount_total,
        currency: session.currency,
        paymentIntentId: idOf(session.payment_intent),
      };
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return {
        ...base,
        kind: event.type === 'checkout.session.expired' ? 'session_expired' : 'session_async_failed',
        sessionId: event.data.object.id,
      };
    case 'charge.refunded': {
      const charge = event.data.object;
      return {
        ...base,
        kind: 'charge_refunded',
        paymentIntentId: idOf(charge.payment_intent),
        chargeId: charge.id,
        amountRefundedCents: charge.amount_refunded,
        currency: charge.currency,
      };
    }
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const dispute = event.data.object;
      return {
        ...base,
        kind: event.type === 'charge.dispute.created' ? 'dispute_created' : 'dispute_closed',
        paymentIntentId: idOf(dispute.payment_intent),
        chargeId: idOf(dispute.charge),
        disputeId: dispute.id,
        amountCents: dispute.amount,
        currency: dispute.currency,
        status: dispute.status,
      };
    }
    default:
      return { ...base, kind: 'ignored' };
  }
}
