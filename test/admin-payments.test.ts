import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { findAccountById } from '../src/storage/accounts-repository.js';
import { listPaymentLedgerEntries } from '../src/storage/ledger-repository.js';
import { findPaymentById } from '../src/storage/payments-repository.js';
import { expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase, rowCount } from './support/databases.js';
import { camtStatement, pendingTransfer } from './support/payments-world.js';
import { enrolSecondFactor } from './support/two-factor.js';
import { startWebServer, WebClient } from './support/web-client.js';

const PASSWORD = 'correct horse battery';

describeEachDatabase('admin payments over HTTP', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  let admin: WebClient;
  let customer: WebClient;
  let customerId = 0;
  const suffix = `${Date.now().toString(36)}`;

  async function signedIn(email: string, role: 'admin' | 'user') {
    const created = await createAccount(db().ctx, { email, password: PASSWORD, role });
    const client = new WebClient(baseUrl);
    const login = await client.submit('/login', '/login', { email, password: PASSWORD });
    expect(login.status).toBe(303);
    // Admin pages need a second factor: set up, as the admin would right after signing in.
    if (role === 'admin') await enrolSecondFactor(db().ctx, created.id);
    return { client, id: created.id };
  }

  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    admin = (await signedIn(`boss-${suffix}@example.com`, 'admin')).client;
    // A formula-looking email: the CSV must not let a spreadsheet run it.
    ({ client: customer, id: customerId } = await signedIn(`=cmd-${suffix}@example.com`, 'user'));
  });
  afterAll(() => stop());

  const transfer = (units = 500_000) => pendingTransfer(db().ctx, customerId, units);
  const balanceOf = async (id: number) => Number((await findAccountById(db().ctx.db, id))?.balance_units);

  async function upload(client: WebClient, xml: string, csrf: string | undefined) {
    const form = new FormData();
    if (csrf !== undefined) form.set('_csrf', csrf);
    form.set('statement', new Blob([xml], { type: 'application/xml' }), 'statement.xml');
    const response = await fetch(`${baseUrl}/admin/payments/statement?lang=en`, {
      method: 'POST',
      headers: { cookie: [...client.cookies].map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; ') },
      body: form,
      redirect: 'manual',
    });
    return { status: response.status, text: await response.text() };
  }

  it('gives the admin one "Payments" link, to everyone’s payments; a customer keeps their own', async () => {
    const paymentLinks = (text: string, word: string) =>
      [...text.matchAll(new RegExp(`<a href="([^"]+)"[^>]*>${word}</a>`, 'g'))].map((m) => m[1]);
    expect(paymentLinks((await admin.get('/admin/payments')).text, 'Pagamenti')).toEqual(['/admin/payments']);
    expect(paymentLinks((await admin.get('/admin?lang=en')).text, 'Payments')).toEqual(['/admin/payments']);
    await admin.get('/admin?lang=it'); // the language choice is remembered: back to Italian for the others
    expect(paymentLinks((await admin.get('/dashboard')).text, 'Pagamenti')).toEqual([]);
    expect((await admin.get('/dashboard')).text).toContain('href="/payments"');
    expect(paymentLinks((await customer.get('/dashboard')).text, 'Pagamenti')).toEqual(['/payments']);
  });

  it('refuses a customer every payments page and action with 403', async () => {
    const payment = await transfer();
    const csrf = await customer.csrfFrom('/account');
    for (const path of [
      '/admin/payments',
      `/admin/payments/${payment.id}`,
      '/admin/payments/statement',
      '/admin/payments.csv',
    ]) {
      expect((await customer.get(path)).status, path).toBe(403);
    }
    for (const path of [`/admin/payments/${payment.id}/confirm`, `/admin/payments/${payment.id}/reject`]) {
      expect((await customer.post(path, { _csrf: csrf, amount: '50' })).status, path).toBe(403);
    }
    expect(
      (await upload(customer, camtStatement([{ amount: '50.00', remittance: payment.reference }]), csrf))
        .status,
    ).toBe(403);
    expect((await findPaymentById(db().ctx.db, payment.id))?.status).toBe('pending');
  });

  it('confirms a transfer once, with the amount received, and keeps the ledger consistent', async () => {
    const payment = await transfer(500_000);
    const before = await balanceOf(customerId);
    const page = await admin.get(`/admin/payments/${payment.id}`);
    expect(page.text).toContain('value="50,00"');
    const confirmed = await admin.submit(
      `/admin/payments/${payment.id}`,
      `/admin/payments/${payment.id}/confirm`,
      {
        amount: '49,50',
        note: 'fee taken by the bank',
      },
    );
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe(`/admin/payments/${payment.id}?done=confirm&n=495000`);
    const shown = await admin.get(`${confirmed.location}&lang=en`);
    expect(shown.text).toContain('Transfer confirmed: €49.5000 credited.');
    expect(await balanceOf(customerId)).toBe(before + 495_000);
    const entries = await listPaymentLedgerEntries(db().ctx.db, payment.id);
    expect(entries.map((e) => [e.kind, Number(e.amount_units)])).toEqual([['deposit', 495_000]]);
    const again = await admin.submit(
      `/admin/payments/${payment.id}?lang=it`,
      `/admin/payments/${payment.id}/confirm`,
      { amount: '50.00' },
    );
    expect(again.status).toBe(400);
    expect(again.text).toContain('Il pagamento non è più in attesa: è Accreditato.');
    expect(await balanceOf(customerId)).toBe(before + 495_000);
    await expectLedgerOk(db());
  });

  it('credits once when ten confirmations of one transfer race, and none fails', async () => {
    const payment = await transfer(300_000);
    const before = await balanceOf(customerId);
    const csrf = await admin.csrfFrom(`/admin/payments/${payment.id}`);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        admin.post(`/admin/payments/${payment.id}/confirm`, { _csrf: csrf, amount: '30' }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.every((s) => s === 303 || s === 400)).toBe(true);
    expect(await balanceOf(customerId)).toBe(before + 300_000);
    expect(await listPaymentLedgerEntries(db().ctx.db, payment.id)).toHaveLength(1);
    await expectLedgerOk(db());
  });

  it('rejects a pending transfer; a rejected one may still be confirmed when the money turns up', async () => {
    const payment = await transfer(200_000);
    const rejected = await admin.submit(
      `/admin/payments/${payment.id}`,
      `/admin/payments/${payment.id}/reject`,
      { note: 'never came' },
    );
    expect(rejected.location).toBe(`/admin/payments/${payment.id}?done=reject`);
    expect((await findPaymentById(db().ctx.db, payment.id))?.status).toBe('failed');
    const twice = await admin.submit(
      `/admin/payments/${payment.id}?lang=en`,
      `/admin/payments/${payment.id}/reject`,
      {},
    );
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('The payment is no longer pending: it is Failed.');
    const before = await balanceOf(customerId);
    const late = await admin.submit(
      `/admin/payments/${payment.id}`,
      `/admin/payments/${payment.id}/confirm`,
      { amount: '20' },
    );
    expect(late.status).toBe(303);
    expect(await balanceOf(customerId)).toBe(before + 200_000);
  });

  it('refuses an amount that is not one, in Italian and in English, writing nothing', async () => {
    const payment = await transfer();
    const entries = await rowCount(db(), 'ledger_entries');
    const audits = await rowCount(db(), 'audit_log');
    const it = await admin.submit(
      `/admin/payments/${payment.id}?lang=it`,
      `/admin/payments/${payment.id}/confirm`,
      { amount: 'abc' },
    );
    expect(it.status).toBe(400);
    expect(it.text).toContain('Inserisci un importo maggiore di zero');
    expect(it.text).toContain('value="abc"');
    const en = await admin.submit(
      `/admin/payments/${payment.id}?lang=en`,
      `/admin/payments/${payment.id}/confirm`,
      { amount: 'abc' },
    );
    expect(en.text).toContain('Enter an amount above zero');
    expect(en.text).not.toContain('Inserisci');
    expect(await rowCount(db(), 'ledger_entries')).toBe(entries);
    expect(await rowCount(db(), 'audit_log')).toBe(audits);
    expect((await findPaymentById(db().ctx.db, payment.id))?.status).toBe('pending');
  });

  it('imports a statement: credits matched references, reports the rest, and credits nothing twice', async () => {
    const exact = await transfer(500_000);
    const differs = await transfer(1_000_000);
    const before = await balanceOf(customerId);
    const xml = camtStatement([
      { amount: '50.00', remittance: `Ricarica ${exact.reference}` },
      { amount: '99.50', remittance: `ref ${differs.reference.replace('-', ' ').toLowerCase()}` },
      { amount: '10.00', remittance: 'INSP-ZZZZZZ grazie' },
    ]);
    const csrf = await admin.csrfFrom('/admin/payments/statement');
    expect((await upload(admin, xml, undefined)).status).toBe(403);
    const first = await upload(admin, xml, csrf);
    expect(first.status).toBe(200);
    expect(first.text).toContain('data-outcome="credited"');
    expect(first.text).toContain('data-outcome="credited_amount_differs"');
    expect(first.text).toContain('Unknown reference');
    expect(first.text).toContain(`href="/admin/payments/${differs.id}"`);
    expect(first.text).toContain('Total credited: €149.5000.');
    expect(await balanceOf(customerId)).toBe(before + 1_495_000);
    const second = await upload(admin, xml, csrf);
    expect(second.text.match(/data-outcome="already_imported"/g)).toHaveLength(3);
    expect(second.text).toContain('Total credited: €0.0000.');
    expect(await balanceOf(customerId)).toBe(before + 1_495_000);
    const huge = await upload(admin, `<!-- ${'x'.repeat(10 * 1024 * 1024)} -->`, csrf);
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('The file is larger than 10 MB.');
    const broken = await upload(admin, '<Document>not a statement', csrf);
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('not a readable CAMT.053 statement');
    await expectLedgerOk(db());
  });

  it('lists and filters payments, and exports them as CSV with formulas neutralised', async () => {
    const payment = await transfer(150_000);
    const list = await admin.get(`/admin/payments?q=${payment.reference}&lang=en`);
    expect(list.text).toContain(`data-payment-id="${payment.id}"`);
    expect(list.text.match(/data-payment-id=/g)).toHaveLength(1);
    expect(list.text).toContain('Credited per day');
    const pending = await admin.get('/admin/payments?status=pending&method=bank_transfer');
    expect(pending.text).toContain(`data-payment-id="${payment.id}"`);
    expect(pending.text).toContain('href="/admin/payments.csv?status=pending&amp;method=bank_transfer"');
    const csv = await admin.get('/admin/payments.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]?.startsWith('id,reference,')).toBe(true);
    expect(lines).toHaveLength(1 + (await rowCount(db(), 'payments')));
    expect(csv.text).toContain(`'=cmd-${suffix}@example.com`);
    expect(csv.text).not.toMatch(/,=cmd/);
    const customerPage = await admin.get(`/admin/customers/${customerId}`);
    expect(customerPage.text).toContain(`href="/admin/payments/${payment.id}"`);
    expect(customerPage.text).not.toContain('data-testid="outstanding"');
    // What a refund could not debit is owed: both the customer and the payment pages show it.
    await db()
      .ctx.db.updateTable('accounts')
      .set({ outstanding_units: 123_400 })
      .where('id', '=', customerId)
      .execute();
    expect((await admin.get(`/admin/customers/${customerId}?lang=en`)).text).toMatch(
      /data-testid="outstanding">€12\.3400</,
    );
    expect((await admin.get(`/admin/payments/${payment.id}`)).text).toMatch(
      /data-testid="outstanding"><strong class="text-bad">€12\.3400</,
    );
    await db()
      .ctx.db.updateTable('accounts')
      .set({ outstanding_units: 0 })
      .where('id', '=', customerId)
      .execute();
  });
});
