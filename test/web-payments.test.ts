import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../src/app/context.js';
import type { CardCheckoutRequest, CardGateway, PaymentSettings } from '../src/app/payment-settings.js';
import { DEFAULT_PAYMENT_SETTINGS } from '../src/app/payment-settings.js';
import { confirmBankTransfer } from '../src/app/settle-bank-transfer.js';
import { signUpVerifiedCustomer, uniqueEmail } from './support/customers.js';
import { describeEachDatabase, rowCount, type TestDatabase } from './support/databases.js';
import { startWebServer, WebClient } from './support/web-client.js';

const IBAN = 'IT60X0542811101000000123456';

/** A card processor that answers like Stripe's Checkout would, or is down when asked to be. */
class FakeCardGateway implements CardGateway {
  readonly requests: CardCheckoutRequest[] = [];
  isDown = false;
  async createCheckout(request: CardCheckoutRequest) {
    if (this.isDown) throw new Error('connect ECONNREFUSED');
    this.requests.push(request);
    return {
      sessionId: `cs_test_${request.paymentId}`,
      url: `https://checkout.example.test/c/${request.paymentId}`,
    };
  }
  parseWebhook(): never {
    throw new Error('not used by the web pages');
  }
}

function settings(card: CardGateway | null, hasBank: boolean): PaymentSettings {
  return {
    limits: { minUnits: 100_000, maxUnits: 5_000_000 },
    maxOpenTransfers: 2,
    bank: hasBank ? { iban: IBAN, beneficiary: 'Inspiria S.r.l.', bic: 'BPMOIT22XXX' } : null,
    card,
    business: { name: 'Inspiria S.r.l.', address: 'Via Roma 1, Milano', vatId: 'IT12345678901', email: null },
  };
}

describeEachDatabase('web payments', (db) => {
  const gateway = new FakeCardGateway();
  const servers: { app: { close(): Promise<unknown> }; baseUrl: string }[] = [];
  let full = '';
  let bankOnly = '';
  let none = '';
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = createAppContext(db().storage, db().clock, settings(gateway, true));
    const start = async (c: AppContext) => {
      const server = await startWebServer(db(), { ctx: c });
      servers.push(server);
      return server.baseUrl;
    };
    full = await start(ctx);
    bankOnly = await start(createAppContext(db().storage, db().clock, settings(null, true)));
    none = await start(createAppContext(db().storage, db().clock, DEFAULT_PAYMENT_SETTINGS));
  });
  afterAll(async () => {
    for (const server of servers) await server.app.close();
  });

  async function customer(baseUrl = full) {
    return signUpVerifiedCustomer(baseUrl, db().ctx, { email: uniqueEmail('payer') });
  }

  const as = (baseUrl: string, client: WebClient) => {
    const other = new WebClient(baseUrl);
    for (const [name, value] of client.cookies) other.cookies.set(name, value);
    return other;
  };

  it('offers only the configured methods, and says so when there is none', async () => {
    const { client } = await customer();
    const both = await client.get('/funds');
    expect(both.status).toBe(200);
    expect(both.text).toContain('Paga con carta');
    expect(both.text).toContain('Bonifico bancario');
    expect(both.text).toContain('10 €'); // the minimum, a round amount
    const bank = await as(bankOnly, client).get('/funds');
    expect(bank.text).not.toContain('Paga con carta');
    expect(bank.text).toContain('Bonifico bancario');
    const before = await rowCount(db(), 'payments');
    const refused = await as(bankOnly, client).submit('/funds', '/funds/card', { amount: '20' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Questo metodo di pagamento non è disponibile.');
    expect(await rowCount(db(), 'payments')).toBe(before);
    const nothing = await as(none, client).get('/funds?lang=en');
    expect(nothing.text).toContain('No payment method is available right now');
    expect(nothing.text).not.toContain('formaction=');
    expect((await new WebClient(full).get('/funds')).status).toBe(303); // signed out: to log-in
  });

  it('links to Add funds from the navigation, the dashboard and the API docs, in both languages', async () => {
    const { client } = await customer();
    const dashboard = await client.get('/dashboard');
    expect(dashboard.text).toContain('<a href="/funds">Ricarica</a>');
    expect(dashboard.text).toContain('<a href="/payments">Pagamenti</a>');
    expect(dashboard.text).toMatch(/balance-actions"><a class="button[^"]*" href="\/funds">Ricarica</);
    expect((await client.get('/dashboard?lang=en')).text).toContain('<a href="/funds">Add funds</a>');
    const docs = await new WebClient(full).get('/docs?lang=it');
    expect(docs.text).toContain('<a href="/funds">aggiungi fondi dalla pagina Ricarica</a>');
    const docsEn = await new WebClient(full).get('/docs?lang=en');
    expect(docsEn.text).toContain('<a href="/funds">add funds on the Add funds page</a>');
  });

  it('requests a bank transfer: IBAN and reference shown, listed as pending', async () => {
    const { client } = await customer();
    const posted = await client.submit('/funds', '/funds/bank', { amount: '25,50' });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(/^\/payments\/\d+$/);
    const detail = await client.get(posted.location ?? '');
    expect(detail.text).toContain('IT60 X054 2811 1010 0000 0123 456');
    expect(detail.text).toContain(`value="${IBAN}"`); // the copy field holds the raw IBAN
    expect(detail.text).toContain('BPMOIT22XXX');
    expect(detail.text).toContain('25,5000 €');
    const reference = /data-testid="reference">([^<]+)</.exec(detail.text)?.[1] ?? '';
    expect(reference).toMatch(/^INSP-/);
    const list = await client.get('/payments');
    expect(list.text).toContain(reference);
    expect(list.text).toContain('In attesa');
    expect((await client.get('/payments?lang=en')).text).toContain('Pending');
  });

  it('refuses bad amounts in the page language and writes nothing', async () => {
    const { client } = await customer();
    const before = await rowCount(db(), 'payments');
    const cases: [string, string, string][] = [
      ['5', 'L’importo deve essere tra 10 € e 500 €', 'The amount must be between €10 and €500'],
      ['500,01', 'L’importo deve essere tra', 'The amount must be between'],
      ['abc', 'Inserisci un importo in euro', 'Enter an amount in euros'],
      ['10,001', 'Inserisci un importo in euro', 'Enter an amount in euros'],
    ];
    for (const [amount, italian, english] of cases) {
      for (const action of ['/funds/bank', '/funds/card']) {
        const inItalian = await client.submit('/funds?lang=it', action, { amount });
        expect(inItalian.status).toBe(400);
        expect(inItalian.text).toContain(italian);
        expect(inItalian.text).toContain(`value="${amount}"`);
        const en = await client.submit('/funds?lang=en', action, { amount });
        expect(en.text).toContain(english);
        expect(en.text).not.toContain(italian);
      }
    }
    await client.get('/funds?lang=it');
    expect(await rowCount(db(), 'payments')).toBe(before);
  });

  it('requires the CSRF token and caps the open transfers', async () => {
    const { client } = await customer();
    const before = await rowCount(db(), 'payments');
    expect((await client.post('/funds/bank', { amount: '20' })).status).toBe(403);
    expect((await client.post('/funds/card', { amount: '20', _csrf: 'forged' })).status).toBe(403);
    expect(await rowCount(db(), 'payments')).toBe(before);
    for (let i = 0; i < 2; i++) {
      expect((await client.submit('/funds', '/funds/bank', { amount: '20' })).status).toBe(303);
    }
    const third = await client.submit('/funds', '/funds/bank', { amount: '20' });
    expect(third.status).toBe(400);
    expect(third.text).toContain('Hai già 2 bonifici in attesa');
    expect(await rowCount(db(), 'payments')).toBe(before + 2);
  });

  it('sends a card payment to the checkout, credits nothing on the way back', async () => {
    const { client, accountId } = await customer();
    const ledgerBefore = await rowCount(db(), 'ledger_entries');
    const posted = await client.submit('/funds?lang=en', '/funds/card', { amount: '50' });
    expect(posted.status).toBe(303);
    const request = gateway.requests.at(-1);
    expect(posted.location).toBe(`https://checkout.example.test/c/${request?.paymentId}`);
    expect(request).toMatchObject({ amountCents: 5000, accountId, locale: 'en' });
    expect(request?.successUrl).toBe(`${full}/funds/return?payment=${request?.paymentId}&lang=en`);
    expect(request?.cancelUrl).toBe(`${full}/funds/cancel?payment=${request?.paymentId}&lang=en`);
    const back = await client.get(`/funds/return?payment=${request?.paymentId}&lang=en`);
    expect(back.status).toBe(200);
    expect(back.text).toContain('credited as soon as the card processor confirms');
    expect(back.text).toContain('data-live-refresh');
    const cancel = await client.get(`/funds/cancel?payment=${request?.paymentId}`);
    expect(cancel.text).toContain('nothing was charged');
    expect(await rowCount(db(), 'ledger_entries')).toBe(ledgerBefore);
    const payment = await db()
      .storage.db.selectFrom('payments')
      .selectAll()
      .where('id', '=', request?.paymentId ?? 0)
      .executeTakeFirstOrThrow();
    expect(payment.status).toBe('pending');
    expect(Number(payment.credited_units)).toBe(0);
  });

  it('says the card processor is unreachable, in Italian', async () => {
    const { client } = await customer();
    gateway.isDown = true;
    try {
      const posted = await client.submit('/funds', '/funds/card', { amount: '30' });
      expect(posted.status).toBe(503);
      expect(posted.text).toContain('non è raggiungibile');
      expect(posted.text).toContain('bonifico');
    } finally {
      gateway.isDown = false;
    }
  });

  it("hides another customer's payment and receipt, and numbers the receipt once credited", async () => {
    const owner = await customer();
    const posted = await owner.client.submit('/funds', '/funds/bank', { amount: '40' });
    const path = posted.location ?? '';
    const reference = /data-testid="reference">([^<]+)</.exec((await owner.client.get(path)).text)?.[1] ?? '';
    const other = await customer();
    const id = path.split('/').at(-1);
    expect((await other.client.get(path)).status).toBe(404);
    expect((await other.client.get(`${path}/receipt`)).status).toBe(404);
    expect((await other.client.get(`/funds/return?payment=${id}`)).status).toBe(404);
    expect((await owner.client.get(`${path}/receipt`)).status).toBe(404); // not credited yet
    await confirmBankTransfer(ctx, { reference, receivedUnits: 400_000, actor: 'test' });
    const receipt = await owner.client.get(`${path}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toMatch(/data-testid="receipt-number">\d{4}\/\d{6}</);
    expect(receipt.text).toContain('40,0000 €');
    expect(receipt.text).toContain('IT12345678901');
    expect(receipt.text).toContain(owner.email);
    expect((await other.client.get(`${path}/receipt`)).status).toBe(404);
    const dashboard = await owner.client.get('/dashboard');
    expect(dashboard.text).toContain('data-testid="balance">40,0000 €');
    expect((await owner.client.get('/payments')).text).toContain(`${path}/receipt`);
  });

  it('lets an account suspended for an amount owed pay, and nothing else', async () => {
    const { client, accountId } = await customer();
    await suspendForOutstanding(db(), accountId, 123_400);
    const funds = await client.get('/funds');
    expect(funds.status).toBe(200);
    expect(funds.text).toContain('Devi 12,3400 €');
    expect((await client.get('/payments')).status).toBe(200);
    expect((await client.submit('/funds', '/funds/bank', { amount: '20' })).status).toBe(303);
    expect((await client.get('/orders')).status).toBe(403);
    expect((await client.get('/dashboard')).status).toBe(403);
  });

  it('signs an account suspended for money owed in to Add funds; an operator-suspended one to the support desk only', async () => {
    const owing = await customer();
    await suspendForOutstanding(db(), owing.accountId, 50_000);
    const fresh = new WebClient(full);
    const login = await fresh.submit('/login', '/login', {
      email: owing.email,
      password: 'correct horse battery',
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/funds');
    expect((await fresh.get('/funds')).status).toBe(200);

    const barred = await customer();
    await db()
      .storage.db.updateTable('accounts')
      .set({ status: 'suspended' })
      .where('id', '=', barred.accountId)
      .execute();
    expect((await barred.client.get('/funds')).status).toBe(403);
    expect((await barred.client.get('/payments')).status).toBe(403);
    const again = new WebClient(full);
    const barredLogin = await again.submit('/login', '/login', {
      email: barred.email,
      password: 'correct horse battery',
    });
    expect(barredLogin.status).toBe(303);
    expect(barredLogin.headers.get('location')).toBe('/support');
    expect((await again.get('/funds')).status).toBe(403);
  });
});

async function suspendForOutstanding(db: TestDatabase, accountId: number, outstandingUnits: number) {
  // The state a refund larger than the balance leaves behind (payment-money.ts).
  await db.storage.db
    .updateTable('accounts')
    .set({ outstanding_units: outstandingUnits, status: 'suspended', is_suspended_for_outstanding: 1 })
    .where('id', '=', accountId)
    .execute();
}
