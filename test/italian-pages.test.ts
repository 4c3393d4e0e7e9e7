import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { createAccount } from '../src/app/create-account.js';
import { creditAccount } from '../src/app/credit-account.js';
import { DEFAULT_PAYMENT_SETTINGS, type PaymentSettings } from '../src/app/payment-settings.js';
import { placeOrder } from '../src/app/place-order.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { confirmBankTransfer } from '../src/app/settle-bank-transfer.js';
import { LIKES_SERVICE } from './support/api-server.js';
import { createTestDatabase, type TestDatabase } from './support/databases.js';
import { englishWordsIn } from './support/english-words.js';
import { pendingTransfer } from './support/payments-world.js';
import { enrolSecondFactor, totpCodeAt } from './support/two-factor.js';
import { startWebServer, WebClient } from './support/web-client.js';

/**
 * Every page, rendered in Italian (the default) with data that exercises the refusals, must not
 * show an English sentence: visible text and the attributes a person reads are checked against
 * common English words. Code samples (<code>, <pre>) and the data the test itself typed
 * (service names, emails) are left out, as they are not ours to translate.
 */
const PASSWORD = 'correct horse battery';
const SERVICE_NAME = 'IG Likes - Male+Female';
const POST = 'https://www.instagram.com/p/ABCDE12345/';

function decode(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#x27;', "'")
    .replaceAll('&amp;', '&');
}

/** What a reader sees: text outside tags, and the title, placeholder and aria-label attributes. */
function visibleText(page: string): string {
  const withoutCode = page.replace(/<(script|style|pre|code|template)\b[\s\S]*?<\/\1>/gi, ' ');
  const attributes = [...withoutCode.matchAll(/\s(?:title|placeholder|aria-label)="([^"]*)"/gi)].map(
    (match) => match[1] ?? '',
  );
  const text = withoutCode.replace(/<[^>]*>/g, ' ');
  return decode(`${text} ${attributes.join(' ')}`);
}

let db: TestDatabase & { drop(): Promise<void> };
let ctx: AppContext;
let stop: () => Promise<void>;
let baseUrl = '';
let customer: WebClient;
let unverified: WebClient;
let admin: WebClient;
let customerEmail = '';
let adminEmail = '';
const ids = { customer: 0, pending: 0, completed: 0, partial: 0, payment: 0, pendingPayment: 0, ticket: 0 };

const settings: PaymentSettings = {
  ...DEFAULT_PAYMENT_SETTINGS,
  limits: { minUnits: 100_000, maxUnits: 5_000_000 },
  bank: { iban: 'IT60X0542811101000000123456', beneficiary: 'Inspiria S.r.l.', bic: 'BPMOIT22XXX' },
};

async function signedIn(email: string, role: 'admin' | 'user') {
  const created = await createAccount(ctx, { email, password: PASSWORD, role, actor: 'test' });
  const client = new WebClient(baseUrl);
  expect((await client.submit('/login', '/login', { email, password: PASSWORD })).status).toBe(303);
  // Admin pages need a second factor: set up, as the admin would right after signing in.
  if (role === 'admin') await enrolSecondFactor(ctx, created.id);
  return { client, id: created.id };
}

async function seed() {
  const suffix = Date.now().toString(36);
  customerEmail = `cliente-${suffix}@example.com`;
  adminEmail = `capo-${suffix}@example.com`;
  ({ client: customer, id: ids.customer } = await signedIn(customerEmail, 'user'));
  ({ client: admin } = await signedIn(adminEmail, 'admin'));
  // Signed up on the web and not verified yet: the banner, and orders and keys refused.
  unverified = new WebClient(baseUrl);
  const unverifiedEmail = `nuovo-${suffix}@example.com`;
  expect(
    (await unverified.submit('/signup', '/signup', { email: unverifiedEmail, password: PASSWORD })).status,
  ).toBe(200);
  expect(
    (await unverified.submit('/login', '/login', { email: unverifiedEmail, password: PASSWORD })).status,
  ).toBe(303);
  const { createService } = await import('../src/app/save-service.js');
  await createService(ctx, { id: 301, fields: { ...LIKES_SERVICE, name: SERVICE_NAME }, actor: 'test' });
  // Dear enough that a thousand cost more than the customer has.
  const dear = { ...LIKES_SERVICE, name: SERVICE_NAME, rateUnits: 1_000_000 };
  await createService(ctx, { id: 302, fields: dear, actor: 'test' });
  await creditAccount(ctx, {
    accountId: ids.customer,
    amountUnits: 100_000,
    reason: 'bonifico',
    actor: 'test',
  });
  const order = (quantity: number) =>
    placeOrder(ctx, {
      accountId: ids.customer,
      serviceId: 301,
      link: POST,
      quantity,
      comments: undefined,
    }).then((p) => p.orderId);
  ids.pending = await order(100);
  ids.completed = await order(100);
  await recordOrderProgress(ctx, { orderId: ids.completed, deliveredQuantity: 100, actor: 'test' });
  ids.partial = await order(1000);
  await recordOrderProgress(ctx, { orderId: ids.partial, deliveredQuantity: 100, actor: 'test' });
  const cancel = await customer.submit(`/orders/${ids.partial}/cancel`, `/orders/${ids.partial}/cancel`, {});
  expect(cancel.status).toBe(303);
  const paid = await pendingTransfer(ctx, ids.customer, 250_000);
  await confirmBankTransfer(ctx, { reference: paid.reference, receivedUnits: 250_000, actor: 'test' });
  ids.payment = paid.id;
  ids.pendingPayment = (await pendingTransfer(ctx, ids.customer, 150_000)).id;
  // Audit rows of every kind a customer leaves, for the audit page.
  const changed = await customer.submit('/account', '/account/password', {
    current_password: PASSWORD,
    new_password: `${PASSWORD} again`,
  });
  expect(changed.status).toBe(200);
  await customer.submit('/dashboard', '/dashboard/api-key', {});
  // A ticket about an order, answered and closed by the operator (an audited close).
  const opened = await customer.submit('/support', '/support', {
    subject: 'Ordine lento',
    message: 'Quando arriva?',
    order: String(ids.pending),
  });
  ids.ticket = Number(/\/support\/(\d+)/.exec(opened.location ?? '')?.[1]);
  await admin.submit(`/admin/support/${ids.ticket}`, `/admin/support/${ids.ticket}/messages`, {
    message: 'Oggi.',
  });
  await admin.submit(`/admin/support/${ids.ticket}`, `/admin/support/${ids.ticket}/close`, {});
}

beforeAll(async () => {
  db = await createTestDatabase('sqlite');
  ctx = createAppContext(db.storage, db.clock, settings);
  const server = await startWebServer(db, { ctx });
  baseUrl = server.baseUrl;
  stop = () => server.app.close();
  await seed();
});
afterAll(async () => {
  await stop();
  await db.drop();
});

type Answer = { status: number; text: string };

/** A mass order confirmed: one line placed, one refused, then its result page. */
async function massOrderResult(): Promise<Answer> {
  const lines = `301|${POST}|100\n301|${POST}|1`;
  const preview = await customer.submit('/orders/mass', '/orders/mass/preview', { lines });
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(preview.text)?.[1] ?? '';
  const placed = await customer.post('/orders/mass', {
    _csrf: value('_csrf'),
    lines: value('lines'),
    token: value('token'),
    charges: value('charges'),
  });
  return customer.get(placed.location ?? '/nowhere');
}

/** The pages to read, each with how to reach it: a GET, or a form posted with bad input. */
function pages(): [string, () => Promise<Answer>, string?][] {
  const anonymous = new WebClient(baseUrl);
  const get = (client: WebClient, path: string) => (): Promise<Answer> => client.get(path);
  const post =
    (client: WebClient, form: string, action: string, fields: Record<string, string>) =>
    (): Promise<Answer> =>
      client.submit(form, action, fields);
  const order = { service: '301', link: POST, quantity: '100', comments: '' };
  return [
    ['/', get(anonymous, '/')],
    ['/docs', get(anonymous, '/docs')],
    ['/login', get(anonymous, '/login')],
    ['/signup', get(anonymous, '/signup')],
    ['404', get(anonymous, '/nowhere')],
    ['login refused', post(anonymous, '/login', '/login', { email: customerEmail, password: 'wrong one' })],
    [
      'sign-up, email taken (the same answer as a new address)',
      post(anonymous, '/signup', '/signup', { email: customerEmail, password: PASSWORD }),
      'Controlla la tua casella',
    ],
    ['/forgot-password', get(anonymous, '/forgot-password')],
    [
      'forgot password, sent',
      post(anonymous, '/forgot-password', '/forgot-password', { email: customerEmail }),
      'Se esiste un account',
    ],
    ['/reset-password, used link', get(anonymous, '/reset-password?token=nope'), 'Link non valido'],
    ['/verify-email, used link', get(anonymous, '/verify-email?token=nope'), 'Link non valido'],
    ['/sign-in-link', get(anonymous, '/sign-in-link?token=abc')],
    ['/dashboard, unverified', get(unverified, '/dashboard'), 'Conferma il tuo indirizzo email'],
    [
      'order, unverified',
      post(unverified, '/orders/new', '/orders', order),
      'Prima conferma il tuo indirizzo email',
    ],
    [
      'api key, unverified',
      post(unverified, '/dashboard', '/dashboard/api-key', {}),
      'Prima conferma il tuo indirizzo email',
    ],
    [
      'verification sent again',
      post(unverified, '/dashboard', '/verify-email/resend', {}),
      'Ti abbiamo inviato una nuova email di conferma.',
    ],
    [
      'account, bad low-balance threshold',
      post(customer, '/account', '/account/notifications', { language: 'it', low_balance: 'tanti' }),
      'Scrivi un importo in euro',
    ],
    ['/dashboard', get(customer, '/dashboard')],
    ['/orders/new', get(customer, '/orders/new')],
    ['/orders', get(customer, '/orders')],
    ['/ledger', get(customer, '/ledger'), `Rimborso dell’ordine #${ids.partial} (Parziale)`],
    ['/account', get(customer, '/account')],
    ['/account/two-factor, setup', get(customer, '/account/two-factor')],
    [
      '/account/two-factor, recovery codes',
      async () => {
        const setup = await customer.get('/account/two-factor');
        const secret = /data-secret="([A-Z2-7]+)"/.exec(setup.text)?.[1] ?? '';
        const code = totpCodeAt(secret, db.clock.now());
        return customer.submit('/account/two-factor', '/account/two-factor/confirm', { code });
      },
      'Codici di recupero',
    ],
    ['/account/two-factor, on', get(admin, '/account/two-factor'), "Disattiva l'accesso in due passaggi"],
    [
      '/login/code',
      async () => {
        const visitor = new WebClient(baseUrl);
        await visitor.submit('/login', '/login', { email: adminEmail, password: PASSWORD });
        return visitor.submit('/login/code', '/login/code', { code: '000000' });
      },
      'Il codice non è corretto',
    ],
    [
      'sign-up, guessable password',
      post(anonymous, '/signup', '/signup', { email: 'nuovo@example.com', password: '12345678901' }),
      'Questa password è troppo facile da indovinare.',
    ],
    ['/funds', get(customer, '/funds')],
    ['/payments', get(customer, '/payments')],
    ['/payments/:id', get(customer, `/payments/${ids.payment}`)],
    ['/payments/:id pending', get(customer, `/payments/${ids.pendingPayment}`)],
    ['/payments/:id/receipt', get(customer, `/payments/${ids.payment}/receipt`)],
    ['cancel preview', get(customer, `/orders/${ids.pending}/cancel`)],
    ['/orders/:id', get(customer, `/orders/${ids.completed}`), 'Consegnato per intero.'],
    [
      '/orders/:id canceled',
      get(customer, `/orders/${ids.partial}?canceled=1&shown=1`),
      'il rimborso effettivo è',
    ],
    ['/orders/mass', get(customer, '/orders/mass')],
    [
      'mass order preview',
      post(customer, '/orders/mass', '/orders/mass/preview', {
        lines: `301|${POST}|100\n301|${POST}|1\nriga sbagliata\n302|${POST}|1000`,
      }),
      'Scrivi la riga come servizio|link|quantità',
    ],
    [
      'mass order, empty',
      post(customer, '/orders/mass', '/orders/mass/preview', { lines: '' }),
      'Scrivi almeno una riga',
    ],
    ['mass order result', massOrderResult],
    [
      'cancel of a completed order',
      get(customer, `/orders/${ids.completed}/cancel`),
      'L’ordine non può più essere annullato: è Completato.',
    ],
    [
      'order, wrong link',
      post(customer, '/orders/new', '/orders/preview', { ...order, link: 'https://x.test/' }),
      'Questo servizio richiede l’URL di un post',
    ],
    [
      'order, quantity',
      post(customer, '/orders/new', '/orders/preview', { ...order, quantity: '1' }),
      'La quantità deve essere tra 25 e 5.000.',
    ],
    [
      'order, balance',
      post(customer, '/orders/new', '/orders/preview', { ...order, service: '302', quantity: '1000' }),
      'Saldo insufficiente: servono',
    ],
    [
      'funds, amount',
      post(customer, '/funds', '/funds/bank', { amount: '5' }),
      'L’importo deve essere tra 10 € e 500 €.',
    ],
    ['/support', get(customer, '/support')],
    ['/support/:id', get(customer, `/support/${ids.ticket}`)],
    [
      'support, subject too long',
      post(customer, '/support', '/support', { subject: 'x'.repeat(151), message: 'Ciao', order: '' }),
      'L’oggetto deve avere da 1 a 150 caratteri.',
    ],
    ['/admin/support', get(admin, '/admin/support')],
    ['/admin/support/:id', get(admin, `/admin/support/${ids.ticket}`)],
    ['/admin', get(admin, '/admin')],
    ['/admin/customers', get(admin, '/admin/customers')],
    ['/admin/customers/:id', get(admin, `/admin/customers/${ids.customer}`)],
    ['/admin/orders', get(admin, '/admin/orders')],
    ['/admin/orders/:id', get(admin, `/admin/orders/${ids.partial}`)],
    ['/admin/queue', get(admin, '/admin/queue')],
    ['/admin/services', get(admin, '/admin/services')],
    ['/admin/services/new', get(admin, '/admin/services/new')],
    ['/admin/services/:id', get(admin, '/admin/services/301')],
    ['/admin/providers', get(admin, '/admin/providers')],
    ['/admin/reports', get(admin, '/admin/reports?from=2026-11-01&to=2026-11-30')],
    ['/admin/audit', get(admin, '/admin/audit'), 'Password cambiata'],
    ['/admin/payments', get(admin, '/admin/payments')],
    ['/admin/payments/:id', get(admin, `/admin/payments/${ids.payment}`)],
    ['/admin/payments/statement', get(admin, '/admin/payments/statement')],
    [
      'admin debit below zero',
      post(admin, `/admin/customers/${ids.customer}`, `/admin/customers/${ids.customer}/credit`, {
        amount: '9999',
        direction: 'debit',
        reason: 'prova',
      }),
      'Saldo insufficiente: servono 9.999,0000 €',
    ],
    [
      'admin cancel of a completed order',
      post(admin, `/admin/orders/${ids.completed}`, `/admin/orders/${ids.completed}/cancel`, {}),
      'L’ordine non può più essere annullato: è Completato.',
    ],
    [
      'admin provider, bad url',
      post(admin, '/admin/providers', '/admin/providers', {
        name: 'acme',
        url: 'ftp://x',
        key: 'abcdefgh12',
      }),
      'L’URL deve iniziare con http:// o https://.',
    ],
    [
      'admin service, bad range',
      post(admin, '/admin/services/new', '/admin/services', {
        name: 'Prova',
        category: 'Likes',
        type: 'Default',
        linkType: 'post_url',
        rate: '1',
        min: '10',
        max: '5',
        backend: 'operator',
      }),
      'Servono numeri interi con 1 ≤ minimo ≤ massimo ≤ 100.000.000.',
    ],
  ];
}

/**
 * The data this test typed: not the pages' words. Every address it signs up with, by its shape,
 * the unverified one's too: their time-based suffix can spell an English word (`mx76at1g` was
 * read as «at» one morning).
 */
function withoutData(text: string): string {
  return text.replaceAll(SERVICE_NAME, ' ').replace(/[\w.+-]+@example\.com/g, ' ');
}

/** The words either side of `word`, so a failure shows the sentence to translate. */
function around(text: string, word: string): string {
  const at = text.search(new RegExp(`(?<![\\p{L}_])${word}(?![\\p{L}_])`, 'u'));
  return text.slice(Math.max(0, at - 40), at + word.length + 40).trim();
}

it('shows no English sentence on any Italian page, refusals included', async () => {
  const found: string[] = [];
  for (const [name, load, expected] of pages()) {
    const answer = await load();
    expect(answer.status, name).toBeLessThan(500);
    if (expected !== undefined) expect(decode(answer.text), name).toContain(expected);
    const text = withoutData(visibleText(answer.text)).replace(/\s+/g, ' ');
    for (const word of new Set(englishWordsIn(text)))
      found.push(`${name}: ${word} in «${around(text, word)}»`);
  }
  // As one text, so that a failure prints every sentence found (an array's diff is cut short).
  expect(found.join('\n')).toBe('');
});

it('would see an English page: the same refusal in English is caught', async () => {
  const answer = await customer.submit('/orders/new?lang=en', '/orders/preview?lang=en', {
    service: '301',
    link: 'https://x.test/',
    quantity: '100',
    comments: '',
  });
  expect(englishWordsIn(visibleText(answer.text))).toContain('requires');
});
