import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { creditAccount } from '../src/app/credit-account.js';
import { enqueueMail } from '../src/app/enqueue-mail.js';
import { fileSender } from '../src/mail/file-sender.js';
import { MAIL_LEASE_MS, MailDispatcher } from '../src/mail/mail-dispatcher.js';
import type { MailOperator } from '../src/mail/render-mail.js';
import { smtpSender } from '../src/mail/smtp-sender.js';
import { findAccountByEmail } from '../src/storage/accounts-repository.js';
import { claimMail } from '../src/storage/mail-outbox-repository.js';
import { createTestService } from './support/api-server.js';
import { CUSTOMER_PASSWORD, signUpVerifiedCustomer, uniqueEmail } from './support/customers.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { linkPath, type SmtpInbox, startSmtpInbox } from './support/smtp-inbox.js';
import { enrolSecondFactor } from './support/two-factor.js';
import { startWebServer, WebClient } from './support/web-client.js';

const OPERATOR: MailOperator = {
  from: 'Inspiria <no-reply@inspiria.test>',
  publicUrl: 'https://panel.inspiria.test',
  businessName: 'Inspiria <S.r.l.>',
  businessAddress: 'Via Roma 1, Milano',
  businessEmail: 'info@inspiria.test',
};

/** A page without what differs between two requests: the CSRF token and the typed address. */
const comparable = (text: string, email: string) =>
  text.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(email, 'EMAIL');

describeEachDatabase('email accounts', (db: () => TestDatabase) => {
  let baseUrl = '';
  let inbox: SmtpInbox;
  let mail: MailDispatcher;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    inbox = await startSmtpInbox();
    mail = new MailDispatcher({ ctx: db().ctx, sender: smtpSender(inbox.url), operator: OPERATOR });
    await createTestService(db(), {}, 701);
    stop = async () => {
      await mail.stop();
      await inbox.close();
      await server.app.close();
    };
  });
  afterAll(() => stop());

  /** Sends what is due and returns the mail to `to` whose subject matches. */
  async function receive(to: string, subject: RegExp) {
    await mail.runOnce();
    return inbox.waitFor(to, subject);
  }

  it('answers sign-up the same for a known and a new address; each gets its own mail, in its language', async () => {
    const known = uniqueEmail('known');
    await createAccount(db().ctx, { email: known, password: CUSTOMER_PASSWORD, actor: 'test' });
    const fresh = uniqueEmail('fresh');
    const answers = [];
    for (const email of [known, fresh]) {
      const client = new WebClient(baseUrl);
      await client.get('/signup?lang=en');
      const answer = await client.submit('/signup', '/signup', { email, password: CUSTOMER_PASSWORD });
      answers.push({ status: answer.status, body: comparable(answer.text, email) });
    }
    expect(answers[0]?.status).toBe(200);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]?.body).toContain('Check your inbox');

    const warning = await receive(known, /Someone tried to sign up/);
    expect(warning.htmlLang).toBe('en');
    expect(warning.text).toContain('Via Roma 1, Milano');
    // Values in the HTML are escaped: the operator's name has angle brackets.
    expect(warning.html).toContain('Inspiria &lt;S.r.l.&gt;');
    const verify = await receive(fresh, /Confirm your email address/);
    expect(verify.text).toContain('https://panel.inspiria.test/verify-email?token=');
    expect(inbox.mailsTo(known).some((m) => /Confirm/.test(m.subject))).toBe(false);
  });

  it('keeps an unverified customer from ordering and from a key until the link is followed, once', async () => {
    const email = uniqueEmail('unverified');
    const client = new WebClient(baseUrl);
    await client.submit('/signup', '/signup', { email, password: CUSTOMER_PASSWORD });
    expect((await client.submit('/login', '/login', { email, password: CUSTOMER_PASSWORD })).status).toBe(
      303,
    );
    const account = await findAccountByEmail(db().ctx.db, email);
    const accountId = account?.id ?? 0;
    await creditAccount(db().ctx, { accountId, amountUnits: 1_000_000, reason: 'test', actor: 'test' });

    const dashboard = await client.get('/dashboard');
    expect(dashboard.text).toContain('Conferma il tuo indirizzo email');
    const order = {
      service: '701',
      link: 'https://instagram.com/p/abc',
      quantity: '100',
      idempotency_key: 'k1',
    };
    const refused = await client.submit('/orders/new', '/orders', order);
    expect(refused.text).toContain('Prima conferma il tuo indirizzo email');
    const key = await client.submit('/dashboard', '/dashboard/api-key', {});
    expect(key.status).toBe(403);
    // No key exists to call the API with until the address is proven.
    const keys = await db()
      .ctx.db.selectFrom('api_keys')
      .select('id')
      .where('account_id', '=', accountId)
      .execute();
    expect(keys).toHaveLength(0);
    const orders = await db()
      .ctx.db.selectFrom('orders')
      .select('id')
      .where('account_id', '=', accountId)
      .execute();
    expect(orders).toHaveLength(0);

    const link = linkPath(await receive(email, /Conferma il tuo indirizzo/), '/verify-email');
    expect((await client.get(link)).status).toBe(200);
    expect((await client.get(link)).status).toBe(400);
    expect((await client.get('/dashboard')).text).not.toContain('Conferma il tuo indirizzo email');
    const issued = await client.submit('/dashboard', '/dashboard/api-key', {});
    expect(issued.status).toBe(200);
    const apiKey = /id="new-api-key"[^>]*value="([^"]+)"|data-copy="([^"]+)"/.exec(issued.text);
    expect(apiKey).not.toBeNull();
    await receive(email, /Nuova chiave API/);
    const placed = await client.submit('/orders/new', '/orders', { ...order, idempotency_key: 'k2' });
    expect(placed.text).not.toContain('Prima conferma il tuo indirizzo email');
  });

  it('lets a verification link expire after 48 hours', async () => {
    const email = uniqueEmail('late');
    await new WebClient(baseUrl).submit('/signup', '/signup', { email, password: CUSTOMER_PASSWORD });
    const link = linkPath(await receive(email, /Conferma/), '/verify-email');
    db().clock.advance(48 * 60 * 60 * 1000 + 1);
    expect((await new WebClient(baseUrl).get(link)).status).toBe(400);
    const account = await findAccountByEmail(db().ctx.db, email);
    expect(account?.email_verified_at).toBeNull();
  });

  it('resets a password by mail: same answer for unknown addresses, single use, every session ended', async () => {
    const { client, email } = await signUpVerifiedCustomer(baseUrl, db().ctx, { lang: 'en' });
    const answers = [];
    for (const address of [email, uniqueEmail('nobody')]) {
      const answer = await new WebClient(baseUrl).submit('/forgot-password', '/forgot-password', {
        email: address,
      });
      answers.push({ status: answer.status, body: comparable(answer.text, address) });
    }
    expect(answers[0]?.status).toBe(200);
    expect(answers[1]).toEqual(answers[0]);

    const resetMail = await receive(email, /Reset your password/);
    expect(resetMail.htmlLang).toBe('en');
    const link = linkPath(resetMail, '/reset-password');
    const stranger = new WebClient(baseUrl);
    expect((await stranger.get(link)).status).toBe(200);
    const token = new URL(link, baseUrl).searchParams.get('token') ?? '';
    const done = await stranger.submit(link, '/reset-password', {
      token,
      new_password: 'a brand new secret',
    });
    expect(done.status).toBe(200);
    expect((await client.get('/account')).status).toBe(303);
    const again = await stranger.submit('/forgot-password', '/reset-password', {
      token,
      new_password: 'yet another one',
    });
    expect(again.status).toBe(400);
    await receive(email, /Your password was changed/);
    const relogin = await new WebClient(baseUrl).submit('/login', '/login', {
      email,
      password: 'a brand new secret',
    });
    expect(relogin.status).toBe(303);

    // A reset link works 30 minutes.
    await new WebClient(baseUrl).submit('/forgot-password', '/forgot-password', { email });
    await mail.runOnce();
    const second = inbox.mailsTo(email).filter((m) => /Reset your password/.test(m.subject));
    expect(second).toHaveLength(2);
    db().clock.advance(30 * 60 * 1000 + 1);
    expect(
      (await new WebClient(baseUrl).get(linkPath(second[1] ?? { text: '' }, '/reset-password'))).status,
    ).toBe(400);
  });

  it('holds the sign-up and reset limits under parallel requests', async () => {
    db().clock.advance(2 * 60 * 60 * 1000); // a fresh window
    const email = uniqueEmail('burst');
    const clients = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const client = new WebClient(baseUrl);
        return { client, csrf: await client.csrfFrom('/signup') };
      }),
    );
    const signUps = await Promise.all(
      clients.map(({ client, csrf }) =>
        client.post('/signup', { _csrf: csrf, email, password: CUSTOMER_PASSWORD }),
      ),
    );
    expect(signUps.filter((r) => r.status === 200)).toHaveLength(3);
    expect(signUps.filter((r) => r.status === 429)).toHaveLength(9);
    const accounts = await db()
      .ctx.db.selectFrom('accounts')
      .select('id')
      .where('email', '=', email)
      .execute();
    expect(accounts).toHaveLength(1);

    const resets = await Promise.all(
      clients.map(({ client }, index) =>
        client.submit('/forgot-password', '/forgot-password', { email: uniqueEmail(`r${index}`) }),
      ),
    );
    expect(resets.filter((r) => r.status === 200)).toHaveLength(10);
    expect(resets.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('offers the owner a sign-in link once the password guesses are throttled', async () => {
    db().clock.advance(2 * 60 * 60 * 1000);
    const { email } = await signUpVerifiedCustomer(baseUrl, db().ctx);
    const guesser = new WebClient(baseUrl);
    let last = { status: 0, text: '' };
    for (let i = 0; i < 6; i++)
      last = await guesser.submit('/login', '/login', { email, password: `wrong ${i}` });
    expect(last.status).toBe(429);
    expect(last.text).toContain('Inviami un link di accesso');
    const asked = await guesser.submit('/login', '/sign-in-link/request', { email });
    expect(asked.status).toBe(200);
    const link = linkPath(await receive(email, /link di accesso/), '/sign-in-link');
    const owner = new WebClient(baseUrl);
    const token = new URL(link, baseUrl).searchParams.get('token') ?? '';
    const signedIn = await owner.submit(link, '/sign-in-link', { token });
    expect(signedIn.location).toBe('/dashboard');
    expect((await owner.get('/account')).status).toBe(200);
    expect((await new WebClient(baseUrl).submit(link, '/sign-in-link', { token })).status).toBe(400);
  });

  it('asks an account with a second factor for its code after the emailed link', async () => {
    db().clock.advance(2 * 60 * 60 * 1000);
    const { email, accountId } = await signUpVerifiedCustomer(baseUrl, db().ctx);
    await enrolSecondFactor(db().ctx, accountId);
    const guesser = new WebClient(baseUrl);
    for (let i = 0; i < 6; i++) await guesser.submit('/login', '/login', { email, password: `wrong ${i}` });
    expect((await guesser.submit('/login', '/sign-in-link/request', { email })).status).toBe(200);
    const link = linkPath(await receive(email, /link di accesso/), '/sign-in-link');
    const token = new URL(link, baseUrl).searchParams.get('token') ?? '';
    const reader = new WebClient(baseUrl);
    // Whoever reads the mail has the password's worth, not the second factor's.
    const answer = await reader.submit(link, '/sign-in-link', { token });
    expect(answer.location).toBe('/login/code');
    expect((await reader.get('/account')).status).not.toBe(200);
  });

  it('retries a refused send and a crashed one, and sends each mail once', async () => {
    const to = uniqueEmail('retry');
    const enqueue = () =>
      db()
        .ctx.db.transaction()
        .execute((trx) => enqueueMail(trx, { to, language: 'it' }, 'password_changed', {}, db().clock.now()));
    await mail.runOnce();
    const id = await enqueue();
    inbox.refuseNext(1);
    expect(await mail.runOnce()).toBe(0);
    const row = await db()
      .ctx.db.selectFrom('mail_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.last_error).toContain('try again later');
    db().clock.advance(31_000);
    expect(await mail.runOnce()).toBe(1);
    expect(await mail.runOnce()).toBe(0);

    const crashed = await enqueue();
    // Another sender claimed it and died before sending.
    expect(
      await claimMail(db().ctx.db, {
        id: crashed,
        nowMs: db().clock.now(),
        leaseUntilMs: db().clock.now() + MAIL_LEASE_MS,
      }),
    ).toBe(true);
    expect(await mail.runOnce()).toBe(0);
    db().clock.advance(MAIL_LEASE_MS);
    expect(await mail.runOnce()).toBe(1);
    expect(inbox.mailsTo(to)).toHaveLength(2);
    expect(new Set(inbox.mailsTo(to).map((m) => m.messageId)).size).toBe(2);
  });

  it('writes each mail as an .eml file without SMTP', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'inspiria-mail-'));
    const written: string[] = [];
    const files = new MailDispatcher({
      ctx: db().ctx,
      sender: fileSender(directory, (file) => written.push(file)),
      operator: OPERATOR,
    });
    await mail.runOnce();
    const to = uniqueEmail('file');
    await db()
      .ctx.db.transaction()
      .execute((trx) => enqueueMail(trx, { to, language: 'en' }, 'signup_existing', {}, db().clock.now()));
    expect(await files.runOnce()).toBe(1);
    expect(await readdir(directory)).toHaveLength(1);
    const text = await readFile(written[0] ?? '', 'utf8');
    expect(text).toContain(`To: ${to}`);
    expect(text).toContain('Subject: Someone tried to sign up with your address');
    expect(text).toContain('Content-Type: text/html');
  });
});
