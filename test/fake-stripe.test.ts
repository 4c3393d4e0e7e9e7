import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from './support/fake-stripe.js';
import { expandBracketNotation } from './support/fake-stripe-wire.js';

// The real SDK, configured the way the app will be: host, port and protocol from STRIPE_API_URL.
function sdkFor(fake: FakeStripe, secretKey = fake.secretKey): Stripe {
  const url = new URL(fake.url);
  return new Stripe(secretKey, {
    host: url.hostname,
    port: url.port,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
    timeout: 5_000,
  });
}

function topUpParams(
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    line_items: [
      {
        price_data: { currency: 'eur', unit_amount: 2500, product_data: { name: 'Balance top-up' } },
        quantity: 1,
      },
    ],
    success_url: 'https://panel.example/payments/12/done?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://panel.example/payments/12/cancelled',
    client_reference_id: '12',
    metadata: { payment_id: 12, account_id: '7' },
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
}

let fake: FakeStripe;
let stripe: Stripe;

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = sdkFor(fake);
});

afterAll(async () => {
  await fake.close();
});

describe('the fake Stripe API, driven by the real SDK', () => {
  it('creates, retrieves and expires a checkout session', async () => {
    const created = await stripe.checkout.sessions.create(topUpParams());
    expect(created).toMatchObject({
      object: 'checkout.session',
      amount_total: 2500,
      currency: 'eur',
      status: 'open',
      payment_status: 'unpaid',
      payment_intent: null,
      client_reference_id: '12',
      metadata: { payment_id: '12', account_id: '7' },
      url: `${fake.url}/pay/${created.id}`,
    });
    expect(created.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(created.expires_at - created.created).toBe(24 * 60 * 60);

    const sent = fake.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions' });
    expect(sent?.headers.authorization).toBe(`Bearer ${fake.secretKey}`);
    expect(sent?.headers['stripe-version']).toBe(Stripe.API_VERSION);
    expect(sent?.body.line_items).toEqual([
      {
        price_data: { currency: 'eur', unit_amount: '2500', product_data: { name: 'Balance top-up' } },
        quantity: '1',
      },
    ]);

    const retrieved = await stripe.checkout.sessions.retrieve(created.id);
    expect(retrieved).toMatchObject({ id: created.id, amount_total: 2500, status: 'open' });
    const expired = await stripe.checkout.sessions.expire(created.id);
    expect(expired).toMatchObject({ id: created.id, status: 'expired', url: null });
    expect(fake.sessions.get(created.id)?.status).toBe('expired');

    const again = await refusal(stripe.checkout.sessions.expire(created.id));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('answers a repeated Idempotency-Key with the first session, and refuses it with other params', async () => {
    const first = await stripe.checkout.sessions.create(topUpParams(), { idempotencyKey: 'payment-41' });
    const second = await stripe.checkout.sessions.create(topUpParams(), { idempotencyKey: 'payment-41' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');

    const changed = await refusal(
      stripe.checkout.sessions.create(topUpParams({ client_reference_id: '42' }), {
        idempotencyKey: 'payment-41',
      }),
    );
    expect(changed).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('refuses what Stripe refuses, naming the parameter', async () => {
    // quantity null leaves the parameter out.
    const withItem = (priceData: Record<string, unknown>, quantity: number | null = 1) =>
      topUpParams({
        line_items: [
          {
            price_data: {
              currency: 'eur',
              unit_amount: 2500,
              product_data: { name: 'Top-up' },
              ...priceData,
            },
            quantity: quantity ?? undefined,
          },
        ],
      });
    const cases: [Stripe.Checkout.SessionCreateParams, string, string | undefined][] = [
      [withItem({ unit_amount: 0 }), 'amount_too_small', undefined],
      [withItem({ currency: undefined }), 'parameter_missing', 'line_items[0][price_data][currency]'],
      [
        withItem({ unit_amount: 12.5 }),
        'parameter_invalid_integer',
        'line_items[0][price_data][unit_amount]',
      ],
      [withItem({}, null), 'parameter_missing', 'line_items[0][quantity]'],
      [withItem({}, 0), 'parameter_invalid_integer', 'line_items[0][quantity]'],
      [topUpParams({ mode: undefined }), 'parameter_missing', 'mode'],
      [topUpParams({ success_url: 'not a url' }), 'url_invalid', 'success_url'],
      [topUpParams({ cancel_url: undefined }), 'parameter_missing', 'cancel_url'],
      [
        { ...topUpParams(), amount: 2500 } as Stripe.Checkout.SessionCreateParams,
        'parameter_unknown',
        'amount',
      ],
    ];
    for (const [params, code, param] of cases) {
      const error = await refusal(stripe.checkout.sessions.create(params));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect({ code: error.code, param: error.param, statusCode: error.statusCode }).toEqual({
        code,
        param,
        statusCode: 400,
      });
    }
  });

  it('answers an unknown session and an unknown path with Stripe-shaped 404s', async () => {
    const missing = await refusal(stripe.checkout.sessions.retrieve('cs_test_nope'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect({ code: missing.code, statusCode: missing.statusCode }).toEqual({
      code: 'resource_missing',
      statusCode: 404,
    });

    const response = await fetch(`${fake.url}/v1/charges`, {
      headers: { authorization: `Bearer ${fake.secretKey}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining('Unrecognized request URL (GET: /v1/charges)'),
      },
    });
  });

  it('gives a wrong secret key an authentication error with the key masked', async () => {
    const error = await refusal(
      sdkFor(fake, 'sk_test_wrong_key_1234').checkout.sessions.create(topUpParams()),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toBe('Invalid API Key provided: sk_test_**********1234');
  });

  it('fails the next request when told to, as Stripe being down', async () => {
    fake.failNext(500);
    const error = await refusal(stripe.checkout.sessions.create(topUpParams()));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    // One failure only: the next request goes through.
    await expect(stripe.checkout.sessions.create(topUpParams())).resolves.toMatchObject({ status: 'open' });
  });
});

describe('signed events', () => {
  it('signs exactly as Stripe does: the SDK computes the same header and constructEvent accepts it', () => {
    const { id, payload, signature } = fake.event('payment_intent.succeeded', {
      id: 'pi_1',
      object: 'payment_intent',
    });
    const timestamp = Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(signature)?.[1]);
    expect(signature).toBe(
      stripe.webhooks.generateTestHeaderString({ payload, secret: fake.webhookSecret, timestamp }),
    );
    const event = stripe.webhooks.constructEvent(payload, signature, fake.webhookSecret);
    expect(event).toMatchObject({
      id,
      object: 'event',
      type: 'payment_intent.succeeded',
      api_version: Stripe.API_VERSION,
    });
  });

  it('is rejected when tampered with, signed with another secret, or older than the 300 s tolerance', () => {
    const { payload, signature } = fake.event('charge.refunded', { id: 'ch_1', amount_refunded: 100 });
    const verify = (body: string, header: string) => () =>
      stripe.webhooks.constructEvent(body, header, fake.webhookSecret);
    const SignatureError = Stripe.errors.StripeSignatureVerificationError;
    expect(verify(payload.replace('100', '999'), signature)).toThrow(SignatureError);
    expect(verify(payload, fake.sign(payload, { secret: 'whsec_someone_else' }))).toThrow(SignatureError);
    const oldSeconds = Math.floor(Date.now() / 1000) - 301;
    expect(verify(payload, fake.sign(payload, { timestampSeconds: oldSeconds }))).toThrow(
      'Timestamp outside the tolerance zone',
    );
    expect(verify(payload, fake.sign(payload, { timestampSeconds: oldSeconds + 10 }))).not.toThrow();
  });

  it('tells one payment story across session, refund and dispute events', async () => {
    const session = await stripe.checkout.sessions.create(topUpParams());
    const verify = (signed: { payload: string; signature: string }) =>
      stripe.webhooks.constructEvent(signed.payload, signed.signature, fake.webhookSecret);

    const completed = verify(fake.sessionEvent('checkout.session.completed', session.id)).data
      .object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({
      id: session.id,
      object: 'checkout.session',
      amount_total: 2500,
      currency: 'eur',
      status: 'complete',
      payment_status: 'paid',
      client_reference_id: '12',
      metadata: { payment_id: '12', account_id: '7' },
    });
    expect(completed.payment_intent).toMatch(/^pi_/);
    await expect(stripe.checkout.sessions.retrieve(session.id)).resolves.toMatchObject({
      payment_status: 'paid',
    });

    const refund = verify(fake.chargeRefundedEvent(session.id, 1000)).data.object as Stripe.Charge;
    expect(refund).toMatchObject({
      object: 'charge',
      payment_intent: completed.payment_intent,
      amount: 2500,
      amount_refunded: 1000,
      refunded: false,
    });
    const fullRefund = verify(fake.chargeRefundedEvent(session.id, 2500)).data.object as Stripe.Charge;
    expect({ id: fullRefund.id, refunded: fullRefund.refunded }).toEqual({ id: refund.id, refunded: true });

    const opened = verify(
      fake.disputeEvent('charge.dispute.created', session.id, {
        amountCents: 2500,
        status: 'needs_response',
      }),
    );
    const closed = verify(
      fake.disputeEvent('charge.dispute.closed', session.id, { amountCents: 2500, status: 'lost' }),
    );
    const [openedDispute, closedDispute] = [opened.data.object, closed.data.object] as Stripe.Dispute[];
    expect(openedDispute).toMatchObject({
      object: 'dispute',
      charge: refund.id,
      payment_intent: completed.payment_intent,
      status: 'needs_response',
    });
    expect(closedDispute).toMatchObject({
      id: openedDispute?.id,
      status: 'lost',
      amount: 2500,
      currency: 'eur',
    });
  });

  it('reports an asynchronous payment as unpaid until it settles; overrides merge into the session', async () => {
    const [paidLater, failedLater] = await Promise.all([
      stripe.checkout.sessions.create(topUpParams()),
      stripe.checkout.sessions.create(topUpParams()),
    ]);
    const objectOf = (signed: { payload: string }) => JSON.parse(signed.payload).data.object;
    const pending = objectOf(
      fake.sessionEvent('checkout.session.completed', paidLater.id, { payment_status: 'unpaid' }),
    );
    expect(pending).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    const settled = objectOf(fake.sessionEvent('checkout.session.async_payment_succeeded', paidLater.id));
    expect(settled).toMatchObject({ payment_status: 'paid', payment_intent: pending.payment_intent });

    fake.sessionEvent('checkout.session.completed', failedLater.id, { payment_status: 'unpaid' });
    const failed = objectOf(fake.sessionEvent('checkout.session.async_payment_failed', failedLater.id));
    expect(failed).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    await expect(stripe.checkout.sessions.retrieve(failedLater.id)).resolves.toMatchObject({
      payment_status: 'unpaid',
    });

    const expired = objectOf(
      fake.sessionEvent(
        'checkout.session.expired',
        (await stripe.checkout.sessions.create(topUpParams())).id,
      ),
    );
    expect(expired).toMatchObject({ status: 'expired', payment_status: 'unpaid', url: null });
  });
});

describe('bracket notation', () => {
  it('expands nested objects and arrays, and ignores prototype keys', () => {
    const body = expandBracketNotation(
      new URLSearchParams(
        'a[0][b][c]=1&a[0][d]=2&a[1][b][c]=3&expand[]=x&expand[]=y&m[k]=v&__proto__[p]=1&q[constructor]=2',
      ),
    );
    expect(body).toEqual({
      a: [{ b: { c: '1' }, d: '2' }, { b: { c: '3' } }],
      expand: ['x', 'y'],
      m: { k: 'v' },
    });
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });
});
