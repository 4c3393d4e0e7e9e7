import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { DEFAULT_PAYMENT_SETTINGS } from '../src/app/payment-settings.js';
import { placeOrder } from '../src/app/place-order.js';
import { requestBankTransfer } from '../src/app/request-bank-transfer.js';
import { confirmBankTransfer } from '../src/app/settle-bank-transfer.js';
import { startCardPayment } from '../src/app/start-card-payment.js';
import { isDomainError } from '../src/domain/errors.js';
import { buildServer } from '../src/http/server.js';
import { createStripeGateway } from '../src/payments/stripe-gateway.js';
import { findPaymentById } from '../src/storage/payments-repository.js';
import { callApi, createCustomer, createTestService, startServer } from './support/api-server.js';
import { balanceOf, expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { type FakeStripe, type SignedEvent, startFakeStripe } from './support/fake-stripe.js';

/**
 * Card payments end to end: the real Stripe SDK talks to a fake Stripe on loopback, and the
 * fake's signed events are posted to our webhook over real HTTP, exactly as Stripe would.
 */
describeEachDatabase('card payments through Stripe', (db) => {
  let fake: FakeStripe;
  let ctx: AppContext;
  let app: FastifyInstance;
  let baseUrl = '';

  beforeAll(async () => {
    fake = await startFakeStripe();
    const card = createStripeGateway({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      apiUrl: fake.url,
    });
    ctx = createAppContext(db().storage, db().clock, {
      ...DEFAULT_PAYMENT_SETTINGS,
      card,
      bank: { iban: 'IT60X0542811101000000123456', beneficiary: 'Inspiria Srl', bic: null },
    });
    ({ app, baseUrl } = await startServer({ ctx }));
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const deliver = (event: SignedEvent, signature = event.signature) =>
    fetch(`${baseUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: event.payload,
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { outcome?: string },
    }));

  async function openCardPayment(accountId: number, amountUnits = 250_000) {
    const started = await startCardPayment(ctx, {
      accountId,
      amountUnits,
      successUrl: 'http://panel.test/funds/return?payment={PAYMENT}',
      cancelUrl: 'http://panel.test/funds/cancel?payment={PAYMENT}',
      locale: 'it',
    });
    const payment = await findPaymentById(ctx.db, started.paymentId);
    if (!payment?.stripe_session_id) throw new Error('no session');
    return { ...started, sessionId: payment.stripe_session_id };
  }

  const paymentOf = async (id: number) => {
    const row = await findPaymentById(ctx.db, id);
    if (!row) throw new Error('no payment');
    return row;
  };

  const accountOf = (id: number) =>
    ctx.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  const depositsOf = (paymentId: number) =>
    ctx.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .orderBy('id')
      .execute();

  it('opens a Checkout Session for the amount and account decided on our side, and credits nothing yet', async () => {
    const customer = await createCustomer(db());
    const started = await openCardPayment(customer.id);
    const session = fake.sessions.get(started.sessionId);
    expect(session?.amount_total).toBe(2500);
    expect(session?.currency).toBe('eur');
    expect(session?.metadata).toMatchObject({
      payment_id: String(started.paymentId),
      account_id: String(customer.id),
    });
    expect(session?.success_url).toBe(`http://panel.test/funds/return?payment=${started.paymentId}`);
    expect(started.checkoutUrl).toBe(session?.url);
    expect(await paymentOf(started.paymentId)).toMatchObject({
      status: 'pending',
      method: 'card',
      credited_units: 0,
    });
    expect(await balanceOf(db(), customer.id)).toBe(0);
    expect(await depositsOf(started.paymentId)).toEqual([]);
  });

  it('credits a completed session once: the same event replayed and the same session in another event add nothing', async () => {
    const customer = await createCustomer(db());
    const started = await openCardPayment(customer.id);
    const completed = fake.sessionEvent('checkout.session.completed', started.sessionId);
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, outcome: 'credited' } });
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    const again = fake.sessionEvent('checkout.session.completed', started.sessionId);
    expect(again.id).not.toBe(completed.id);
    expect((await deliver(again)).body.outcome).toBe('no_change');
    const succeeded = fake.sessionEvent('checkout.session.async_payment_succeeded', started.sessionId);
    expect((await deliver(succeeded)).body.outcome).toBe('no_change');

    expect(await balanceOf(db(), customer.id)).toBe(250_000);
    const payment = await paymentOf(started.paymentId);
    expect(payment).toMatchObject({ status: 'succeeded', credited_units: 250_000 });
    expect(payment.receipt_number).toMatch(/^\d{4}\/\d{6}$/);
    expect(payment.stripe_payment_intent_id).toMatch(/^pi_/);
    const entries = await depositsOf(started.paymentId);
    expect(entries.map((e) => [e.kind, Number(e.amount_units), e.actor])).toEqual([
      ['deposit', 250_000, 'stripe'],
    ]);
    await expectLedgerOk(db());
  });

  it('20 concurrent deliveries of one event credit once and all answer 200', async () => {
    const customer = await createCustomer(db());
    const started = await openCardPayment(customer.id, 1_000_000);
    const completed = fake.sessionEvent('checkout.session.completed', started.sessionId);
    const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(completed)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.outcome === 'credited')).toHaveLength(1);
    expect(await balanceOf(db(), customer.id)).toBe(1_000_000);
    expect(await depositsOf(started.paymentId)).toHaveLength(1);
    await expectLedgerOk(db());
  });

  it('two different events for one session, delivered at once, credit once', async () => {
    const customer = await createCustomer(db());
    const started = await openCardPayment(customer.id);
    const events = Array.from({ length: 10 }, () =>
      fake.sessionEvent('checkout.session.completed', started.sessionId),
    );
    const answers = await Promise.all(events.map((event) => deliver(event)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.outcome === 'credited')).toHaveLength(1);
    expect(await balanceOf(db(), customer.id)).toBe(250_000);
  });

  it('refuses a bad signature, a wrong secret and a stale timestamp with 400, changing nothing', async () => {
    const customer = await createCustomer(db());
    const started = await openCardPayment(customer.id);
    const event = fake.sessionEvent('checkout.session.completed', started.sessionId);
    const tampered = { ...event, payload: event.payload.replace('"paid"', '"paid" ') };
    expect((await deliver(tampered, event.signature)).status).toBe(400);
    expect((await deliver(event, fake.sign(event.payload, { secret: 'whsec_wrong' }))).status).toBe(400);
    const stale = fake.sign(event.payload, { timestampSeconds: Math.floor(Date.now() / 1000) - 400 });
    expect((await deliver(event, stale)).status).toBe(400);
    const unsigned = await fetch(`${baseUrl}/webhooks/stripe`, { method: 'POST', body: event.payload });
    expect(unsigned.status).toBe(400);
    expect(await balanceOf(db(), customer.id)).toBe(0);
    expect(await paymentOf(started.paymentId)).toMatchObject({ status: 'pending' });
    // The refused deliveries claimed nothing: the genuine one still applies.
    expect((await deliver(event)).body.outcome).toBe('credited');
  });

  it('credits nothing for a session we did not create, another currency or another amount', async () => {
    const customer = await createCustomer(db());
    const started = await openCardPayment(customer.id);
    const foreign = fake.event('checkout.session.completed', {
      id: 'cs_test_not_ours',
      object: 'checkout.session',
      amount_total: 2500,
      currency: 'eur',
      payment_status: 'paid',
      payment_intent: 'pi_not_ours',
    });
    expect((await deliver(foreign)).body.outcome).toBe('unknown_payment');
    const otherCurrency = fake.sessionEvent('checkout.session.completed', started.sessionId, {
      currency: 'usd',
    });
    expect((await deliver(otherCurrency)).body.outcome).toBe('currency_mismatch');
    const otherAmount = fake.sessionEvent('checkout.session.completed', started.sessionId, {
      amount_total: 250,
      currency: 'eur',
    });
    expect((await deliver(otherAmount)).body.outcome).toBe('amount_mismatch');
    expect(await balanceOf(db(), customer.id)).toBe(0);
    expect(await paymentOf(started.paymentId)).toMatchObject({ status: 'pending' });
  });

  it('waits for a delayed payment method, then credits it; a failed or expired session credits nothing', async () => {
    const customer = await createCustomer(db());
    const delayed = await openCardPayment(customer.id);
    const unpaid = fake.sessionEvent('checkout.session.completed', delayed.sessionId, {
      payment_status: 'unpaid',
    });
    expect((await deliver(unpaid)).body.outcome).toBe('awaiting_payment');
    expect(await balanceOf(db(), customer.id)).toBe(0);
    const succeeded = fake.sessionEvent('checkout.session.async_payment_succeeded', delayed.sessionId);
    expect((await deliver(succeeded)).body.outcome).toBe('credited');
    expect(await balanceOf(db(), customer.id)).toBe(250_000);

    const failing = await openCardPayment(customer.id);
    const failed = fake.sessionEvent('checkout.session.async_payment_failed', failing.sessionId);
    expect((await deliver(failed)).body.outcome).toBe('failed');
    const expiring = await openCardPayment(customer.id);
    expect(
      (await deliver(fake.sessionEvent('checkout.session.expired', expiring.sessionId))).body.outcome,
    ).toBe('expired');
    expect(await paymentOf(failing.paymentId)).toMatchObject({ status: 'failed' });
    expect(await paymentOf(expiring.paymentId)).toMatchObject({ status: 'expired' });
    expect(await balanceOf(db(), customer.id)).toBe(250_000);
    await expectLedgerOk(db());
  });

  it('a refund after the customer spent the money: balance 0, the rest owed, the account suspended; a deposit settles it', async () => {
    const customer = await createCustomer(db());
    const service = await createTestService(db(), { rateUnits: 100_000, minQuantity: 10, maxQuantity: 1000 });
    const started = await openCardPayment(customer.id);
    await deliver(fake.sessionEvent('checkout.session.completed', started.sessionId));
    // 200 units at 10 EUR per 1000: 2 EUR spent of 25.
    await placeOrder(ctx, {
      accountId: customer.id,
      serviceId: service.id,
      link: 'https://www.instagram.com/p/CxYz123/',
      quantity: 200,
      comments: undefined,
    });
    expect(await balanceOf(db(), customer.id)).toBe(230_000);
    const refund = fake.chargeRefundedEvent(started.sessionId, 2500);
    expect((await deliver(refund)).body.outcome).toBe('refund_applied');
    expect((await deliver(refund)).body.outcome).toBe('duplicate');
    expect(await balanceOf(db(), customer.id)).toBe(0);
    const account = await accountOf(customer.id);
    expect(account).toMatchObject({
      status: 'suspended',
      outstanding_units: 20_000,
      is_suspended_for_outstanding: 1,
    });
    expect(await paymentOf(started.paymentId)).toMatchObject({ status: 'refunded', reversed_units: 250_000 });
    expect((await callApi(baseUrl, { key: customer.apiKey, action: 'balance' })).body).toEqual({
      error: 'Account suspended',
    });
    await expectLedgerOk(db());

    const transfer = await requestBankTransfer(ctx, { accountId: customer.id, amountUnits: 100_000 });
    await confirmBankTransfer(ctx, {
      reference: transfer.payment.reference,
      receivedUnits: 100_000,
      actor: 'test',
    });
    expect(await balanceOf(db(), customer.id)).toBe(80_000);
    const settled = await accountOf(customer.id);
    expect(settled).toMatchObject({
      status: 'active',
      outstanding_units: 0,
      is_suspended_for_outstanding: 0,
    });
    await expectLedgerOk(db());
  });

  it('partial refunds reverse only what is new each time; a full one then marks it refunded', async () => {
    const customer = await createCustomer(db());
    const started = await openCardPayment(customer.id, 500_000);
    await deliver(fake.sessionEvent('checkout.session.completed', started.sessionId));
    expect((await deliver(fake.chargeRefundedEvent(started.sessionId, 1000))).body.outcome).toBe(
      'refund_applied',
    );
    expect(await paymentOf(started.paymentId)).toMatchObject({
      status: 'partially_refunded',
      reversed_units: 100_000,
    });
    expect(await balanceOf(db(), customer.id)).toBe(400_000);
    // A later event reporting the same cumulative figure reverses nothing more.
    expect((await deliver(fake.chargeRefundedEvent(started.sessionId, 1000))).body.outcome).toBe('no_change');
    expect((await deliver(fake.chargeRefundedEvent(started.sessionId, 5000))).body.outcome).toBe(
      'refund_applied',
    );
    expect(await paymentOf(started.paymentId)).toMatchObject({ status: 'refunded', reversed_units: 500_000 });
    expect(await balanceOf(db(), customer.id)).toBe(0);
    const account = await accountOf(customer.id);
    expect(account).toMatchObject({ status: 'active', outstanding_units: 0 });
    await expectLedgerOk(db());
  });

  it('a dispute moves no money while open; won it restores the payment, lost it debits', async () => {
    const customer = await createCustomer(db());
    const won = await openCardPayment(customer.id);
    const lost = await openCardPayment(customer.id);
    await deliver(fake.sessionEvent('checkout.session.completed', won.sessionId));
    await deliver(fake.sessionEvent('checkout.session.completed', lost.sessionId));
    expect(await balanceOf(db(), customer.id)).toBe(500_000);
    for (const started of [won, lost]) {
      const opened = fake.disputeEvent('charge.dispute.created', started.sessionId, {
        amountCents: 2500,
        status: 'needs_response',
      });
      expect((await deliver(opened)).body.outcome).toBe('dispute_opened');
    }
    expect(await paymentOf(won.paymentId)).toMatchObject({ status: 'disputed', dispute_status: 'open' });
    expect(await balanceOf(db(), customer.id)).toBe(500_000);
    const wonEvent = fake.disputeEvent('charge.dispute.closed', won.sessionId, {
      amountCents: 2500,
      status: 'won',
    });
    expect((await deliver(wonEvent)).body.outcome).toBe('dispute_won');
    expect(await paymentOf(won.paymentId)).toMatchObject({ status: 'succeeded', dispute_status: 'won' });
    const lostEvent = fake.disputeEvent('charge.dispute.closed', lost.sessionId, {
      amountCents: 2500,
      status: 'lost',
    });
    expect((await deliver(lostEvent)).body.outcome).toBe('dispute_lost');
    expect(await paymentOf(lost.paymentId)).toMatchObject({
      status: 'disputed',
      dispute_status: 'lost',
      reversed_units: 250_000,
    });
    expect(await balanceOf(db(), customer.id)).toBe(250_000);
    await expectLedgerOk(db());
  });

  it('when Stripe cannot be reached the payment fails, nothing is credited, and the customer is told', async () => {
    const customer = await createCustomer(db());
    fake.failNext(500);
    const error = await openCardPayment(customer.id).catch((e: unknown) => e);
    expect(isDomainError(error, 'payment_provider_unavailable')).toBe(true);
    const latest = await ctx.db
      .selectFrom('payments')
      .selectAll()
      .where('account_id', '=', customer.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(latest).toMatchObject({ status: 'failed', stripe_session_id: null });
    expect(await balanceOf(db(), customer.id)).toBe(0);
  });

  it('refuses amounts outside the limits and fractions of a cent before calling Stripe', async () => {
    const customer = await createCustomer(db());
    const before = fake.requests.length;
    for (const amountUnits of [99_900, 50_000_100, 100_050, undefined]) {
      const error = await startCardPayment(ctx, {
        accountId: customer.id,
        amountUnits,
        successUrl: 'http://panel.test/ok',
        cancelUrl: 'http://panel.test/cancel',
        locale: 'en',
      }).catch((e: unknown) => e);
      expect(isDomainError(error, 'deposit_out_of_range')).toBe(true);
    }
    expect(fake.requests.length).toBe(before);
  });
});

describe('the webhook without a card processor configured', () => {
  it('answers 404 and reads nothing', async () => {
    const { createTestDatabase } = await import('./support/databases.js');
    const database: TestDatabase & { drop(): Promise<void> } = await createTestDatabase('sqlite');
    const app = await buildServer({ ctx: database.ctx });
    const response = await app.inject({ method: 'POST', url: '/webhooks/stripe', payload: '{}' });
    expect(response.statusCode).toBe(404);
    await app.close();
    await database.drop();
  });
});
