import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { createCheckoutSession, type FakeCheckoutSession } from './fake-stripe-checkout.js';
import {
  chargeObject,
  disputeObject,
  eventPayload,
  newSessionPayment,
  type SessionEventType,
  type SessionPayment,
  sessionStateAfter,
} from './fake-stripe-events.js';
import {
  authenticate,
  invalidRequest,
  parseForm,
  StripeRequestError,
  signStripePayload,
  stripeId,
  unrecognized,
} from './fake-stripe-wire.js';

export type { FakeCheckoutSession } from './fake-stripe-checkout.js';

export interface FakeStripeRequest {
  method: string;
  /** Without the query string. */
  path: string;
  /** The form body (or, for GET, the query), bracket notation expanded; leaves are strings. */
  body: Record<string, unknown>;
  /** Lower-cased names, as node:http gives them (e.g. `idempotency-key`, `stripe-version`). */
  headers: Record<string, string>;
}

export interface SignedEvent {
  id: string;
  payload: string;
  signature: string;
}

export interface FakeStripe {
  url: string;
  secretKey: string;
  webhookSecret: string;
  sessions: Map<string, FakeCheckoutSession>;
  requests: FakeStripeRequest[];
  failNext(status: number, body?: unknown): void;
  event(
    type: string,
    object: Record<string, unknown>,
    options?: { id?: string; createdSeconds?: number },
  ): SignedEvent;
  sign(payload: string, options?: { timestampSeconds?: number; secret?: string }): string;
  sessionEvent(type: SessionEventType, sessionId: string, overrides?: Record<string, unknown>): SignedEvent;
  chargeRefundedEvent(sessionId: string, amountRefundedCents: number): SignedEvent;
  disputeEvent(
    type: 'charge.dispute.created' | 'charge.dispute.closed',
    sessionId: string,
    options: { amountCents: number; status: string; disputeId?: string },
  ): SignedEvent;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
}

interface IdempotentResult {
  method: string;
  path: string;
  rawBody: string;
  reply: Reply;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

class FakeStripeServer implements FakeStripe {
  url = '';
  readonly sessions = new Map<string, FakeCheckoutSession>();
  readonly requests: FakeStripeRequest[] = [];
  private readonly failures: Reply[] = [];
  private readonly idempotentResults = new Map<string, IdempotentResult>();
  private readonly payments = new Map<string, SessionPayment>();
  readonly server: Server = createServer((request, response) => this.receive(request, response));

  constructor(
    readonly secretKey: string,
    readonly webhookSecret: string,
  ) {}

  failNext(status: number, body?: unknown): void {
    const fallback = {
      error: { type: 'api_error', message: 'An unknown error occurred (fake Stripe is down).' },
    };
    this.failures.push({ status, body: body ?? fallback });
  }

  sign(payload: string, options: { timestampSeconds?: number; secret?: string } = {}): string {
    return signStripePayload(
      payload,
      options.secret ?? this.webhookSecret,
      options.timestampSeconds ?? nowSeconds(),
    );
  }

  event(
    type: string,
    object: Record<string, unknown>,
    options: { id?: string; createdSeconds?: number } = {},
  ): SignedEvent {
    const { id, payload } = eventPayload(type, object, {
      id: options.id,
      createdSeconds: options.createdSeconds ?? nowSeconds(),
    });
    return { id, payload, signature: this.sign(payload) };
  }

  /** Also moves the stored session to the state the event reports, so a later retrieve agrees with it. */
  sessionEvent(
    type: SessionEventType,
    sessionId: string,
    overrides: Record<string, unknown> = {},
  ): SignedEvent {
    const session = this.session(sessionId);
    Object.assign(session, sessionStateAfter(type, session, this.payment(sessionId)), overrides);
    return this.event(type, { ...session });
  }

  chargeRefundedEvent(sessionId: string, amountRefundedCents: number): SignedEvent {
    const session = this.session(sessionId);
    if (amountRefundedCents <= 0 || amountRefundedCents > session.amount_total) {
      throw new Error(
        `a refund of ${amountRefundedCents} cents does not fit a charge of ${session.amount_total}`,
      );
    }
    return this.event(
      'charge.refunded',
      chargeObject(session, this.payment(sessionId), amountRefundedCents, nowSeconds()),
    );
  }

  disputeEvent(
    type: 'charge.dispute.created' | 'charge.dispute.closed',
    sessionId: string,
    options: { amountCents: number; status: string; disputeId?: string },
  ): SignedEvent {
    const payment = this.payment(sessionId);
    const dispute = { ...options, disputeId: options.disputeId ?? payment.disputeId };
    return this.event(type, disputeObject(this.session(sessionId), payment, dispute, nowSeconds()));
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    // The SDK's keep-alive connections would otherwise hold close() open until they time out.
    this.server.closeAllConnections();
    await closed;
  }

  private session(sessionId: string): FakeCheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`fake Stripe has no checkout session ${sessionId}`);
    return session;
  }

  // Named on first use, so a charge.refunded that arrives before checkout.session.completed
  // (Stripe does not order events) still names the payment intent the completion will.
  private payment(sessionId: string): SessionPayment {
    let payment = this.payments.get(sessionId);
    if (!payment) {
      payment = newSessionPayment();
      this.payments.set(sessionId, payment);
    }
    return payment;
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let reply: Reply;
      const headers: Record<string, string> = {};
      try {
        reply = this.handle(request, Buffer.concat(chunks).toString('utf8'), headers);
      } catch (error) {
        reply =
          error instanceof StripeRequestError
            ? { status: error.status, body: { error: error.error } }
            : { status: 500, body: { error: { type: 'api_error', message: String(error) } } };
      }
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      response.writeHead(reply.status, {
        ...headers,
        'content-type': typeof reply.body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
        'request-id': stripeId('req_', 14),
        'stripe-version': request.headers['stripe-version'] ?? Stripe.API_VERSION,
      });
      response.end(text);
    });
  }

  /** Records the request, then answers in Stripe's order: outage, authentication, idempotent replay, route. */
  private handle(request: IncomingMessage, rawBody: string, replyHeaders: Record<string, string>): Reply {
    const method = request.method ?? 'GET';
    const [path = '/', query = ''] = (request.url ?? '/').split('?', 2);
    const headers = Object.fromEntries(
      Object.entries(request.headers).flatMap(([name, value]) =>
        typeof value === 'string' ? [[name, value]] : [],
      ),
    );
    const body = parseForm(method === 'GET' ? query : rawBody);
    this.requests.push({ method, path, body, headers });
    const failure = this.failures.shift();
    if (failure) return failure;
    if (path.startsWith('/pay/')) return this.checkoutPage(decodeURIComponent(path.slice('/pay/'.length)));
    authenticate(headers.authorization, this.secretKey);
    const key = method === 'POST' ? headers['idempotency-key'] : undefined;
    if (key === undefined) return this.route(method, path, body);
    replyHeaders['idempotency-key'] = key;
    const earlier = this.idempotentResults.get(key);
    if (earlier) {
      if (earlier.method !== method || earlier.path !== path || earlier.rawBody !== rawBody) {
        throw new StripeRequestError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      replyHeaders['idempotent-replayed'] = 'true';
      return earlier.reply;
    }
    // Only a success is kept: Stripe saves no result for a request refused at validation.
    const reply = this.route(method, path, body);
    this.idempotentResults.set(key, { method, path, rawBody, reply: structuredClone(reply) });
    return reply;
  }

  private route(method: string, path: string, body: Record<string, unknown>): Reply {
    const match = /^\/v1\/checkout\/sessions(?:\/([^/]+)(\/expire)?)?$/.exec(path);
    if (!match) throw unrecognized(method, path);
    const [, encodedId, expire] = match;
    if (encodedId === undefined) {
      if (method !== 'POST') throw unrecognized(method, path);
      const session = createCheckoutSession(body, this.url, nowSeconds());
      this.sessions.set(session.id, session);
      return { status: 200, body: session };
    }
    const id = decodeURIComponent(encodedId);
    const session = this.sessions.get(id);
    if (!session) {
      throw new StripeRequestError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such checkout.session: '${id}'`,
        param: 'session',
      });
    }
    if (expire === undefined && method === 'GET') return { status: 200, body: session };
    if (expire === undefined || method !== 'POST') throw unrecognized(method, path);
    if (session.status !== 'open') {
      throw invalidRequest(
        `Only Checkout Sessions with a status of \`open\` can be expired. This session is ${session.status}.`,
      );
    }
    Object.assign(session, { status: 'expired', url: null });
    return { status: 200, body: session };
  }

  /** Stands in for Stripe's hosted payment page, so a browser sent to `session.url` lands somewhere. */
  private checkoutPage(id: string): Reply {
    const session = this.sessions.get(id);
    if (!session)
      return { status: 404, body: '<!doctype html><title>Not found</title><p>No such session</p>' };
    const amount = `${(session.amount_total / 100).toFixed(2)} ${session.currency.toUpperCase()}`;
    return {
      status: 200,
      body: `<!doctype html><title>Fake Stripe Checkout</title><h1>Pay ${amount}</h1><p id="session">${id}</p>`,
    };
  }
}

/** A Stripe API for the real SDK to talk to, on a loopback port over real HTTP. */
export async function startFakeStripe(
  options: { secretKey?: string; webhookSecret?: string } = {},
): Promise<FakeStripe> {
  const fake = new FakeStripeServer(
    options.secretKey ?? stripeId('sk_test_fake_'),
    options.webhookSecret ?? stripeId('whsec_', 32),
  );
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}
