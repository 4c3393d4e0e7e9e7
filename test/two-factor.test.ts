import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import {
  MAX_ATTEMPTS_PER_ACCOUNT,
  MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS,
} from '../src/app/password-attempts.js';
import { TOTP_STEP_MS } from '../src/app/totp-codes.js';
import { AddressedClient } from './support/addressed-client.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { enrolSecondFactor, totpCodeAt } from './support/two-factor.js';
import { startWebServer, WebClient } from './support/web-client.js';

const PASSWORD = 'correct horse battery';
const LIMIT = MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS;
let counter = 0;

async function auditActions(db: TestDatabase, accountId: number): Promise<string[]> {
  const rows = await db.ctx.db
    .selectFrom('audit_log')
    .select('action')
    .where('target_account_id', '=', accountId)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.action);
}

/** How many "second factor changed" mails the account has been sent. */
async function secondFactorMailCount(db: TestDatabase, accountId: number): Promise<number> {
  const rows = await db.ctx.db
    .selectFrom('mail_outbox')
    .select('id')
    .where('account_id', '=', accountId)
    .where('kind', '=', 'second_factor_changed')
    .execute();
  return rows.length;
}

async function sessionCount(db: TestDatabase, accountId: number): Promise<number> {
  const row = await db.ctx.db
    .selectFrom('web_sessions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every /admin route the web registers, read from its route files (GET and POST). */
function adminRoutesInSource(): { method: 'GET' | 'POST'; path: string }[] {
  const folder = join(import.meta.dirname, '../src/http/web');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => [
      ...readFileSync(join(folder, name), 'utf8').matchAll(/\.(get|post)\(\s*'(\/admin[^']*)'/g),
    ])
    .map((match) => ({
      method: match[1] === 'get' ? ('GET' as const) : ('POST' as const),
      path: match[2] ?? '',
    }));
}

describeEachDatabase('two-factor sign-in', (db) => {
  let baseUrl = '';
  let app: FastifyInstance;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    app = server.app;
  });
  afterAll(() => app.close());

  const now = () => db().clock.now();
  /** Moves the test clock to the next 30-second step, so a new app code exists. */
  const nextStep = () => db().clock.advance(TOTP_STEP_MS);

  async function account(role: 'user' | 'admin' = 'user') {
    const email = `owner${++counter}-${Date.now()}@example.com`;
    const { id } = await createAccount(db().ctx, { email, password: PASSWORD, role });
    return { email, id };
  }

  async function signedIn(email: string, client = new WebClient(baseUrl)) {
    expect((await client.submit('/login', '/login', { email, password: PASSWORD })).status).toBe(303);
    return client;
  }

  /** Email and password right: the code page, and no session yet. */
  async function passwordStep(email: string, client = new WebClient(baseUrl)) {
    const login = await client.submit('/login', '/login', { email, password: PASSWORD });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/login/code');
    expect((await client.get('/dashboard')).status).toBe(303);
    return client;
  }

  const secondFactorMails = (accountId: number) => secondFactorMailCount(db(), accountId);
  const sendCode = (client: WebClient, code: string) => client.submit('/login/code', '/login/code', { code });

  it('enrols on the account page: QR code and key, a wrong code refused, then ten recovery codes once', async () => {
    const { email, id } = await account();
    const client = await signedIn(email);
    const page = await client.get('/account/two-factor?lang=en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<svg');
    const secret = /data-secret="([A-Z2-7]+)"/.exec(page.text)?.[1] ?? '';
    expect(secret).toHaveLength(32);
    // The sealed secret in the database is not the secret.
    const row = await db()
      .ctx.db.selectFrom('two_factor')
      .selectAll()
      .where('account_id', '=', id)
      .executeTakeFirst();
    expect(row?.secret_sealed).not.toContain(secret);
    expect(row?.enabled_at).toBeNull();
    // A reload offers the same key (the app may already have it).
    expect((await client.get('/account/two-factor')).text).toContain(`data-secret="${secret}"`);

    const wrongCode = totpCodeAt(secret, now() + 10 * TOTP_STEP_MS);
    const refused = await client.submit('/account/two-factor', '/account/two-factor/confirm', {
      code: wrongCode,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The code is wrong');

    const confirmed = await client.submit('/account/two-factor', '/account/two-factor/confirm', {
      code: totpCodeAt(secret, now()),
    });
    expect(confirmed.status).toBe(200);
    const codes = [
      ...confirmed.text.matchAll(
        /<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code><\/li>/g,
      ),
    ];
    expect(new Set(codes.map((m) => m[1])).size).toBe(10);
    const stored = await db()
      .ctx.db.selectFrom('recovery_codes')
      .select('code_hash')
      .where('account_id', '=', id)
      .execute();
    expect(stored).toHaveLength(10);
    for (const match of codes) expect(stored.map((s) => s.code_hash)).not.toContain(match[1]);
    // Shown once: the page now offers only to turn it off.
    const after = await client.get('/account/two-factor');
    expect(after.text).not.toContain('<svg');
    expect(after.text).toContain('/account/two-factor/disable');
    expect(await auditActions(db(), id)).toContain('account.two_factor_enable');
  });

  it('signs in in two steps: a wrong code refused, a right one accepted once, never replayed', async () => {
    const { email, id } = await account();
    const factor = await enrolSecondFactor(db().ctx, id);
    nextStep();
    const client = await passwordStep(email);
    // The pending sign-in is not a session.
    expect(await sessionCount(db(), id)).toBe(0);
    const wrong = await sendCode(client, totpCodeAt(factor.secret, now() + 5 * TOTP_STEP_MS));
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Il codice non è corretto');
    const code = totpCodeAt(factor.secret, now());
    const right = await sendCode(client, code);
    expect(right.status).toBe(303);
    expect(right.location).toBe('/dashboard');
    expect((await client.get('/dashboard')).status).toBe(200);
    expect(await sessionCount(db(), id)).toBe(1);

    // Someone who watched the code type it within the same 30 seconds: refused.
    const replay = await passwordStep(email);
    expect((await sendCode(replay, code)).status).toBe(401);
    // A code of the step before, though inside the window, is older than the one used: refused too.
    expect((await sendCode(replay, totpCodeAt(factor.secret, now() - TOTP_STEP_MS))).status).toBe(401);
    nextStep();
    expect((await sendCode(replay, totpCodeAt(factor.secret, now()))).status).toBe(303);
    expect(await sessionCount(db(), id)).toBe(2);
  });

  it('the same right code sent ten times at once makes one session', async () => {
    const { email, id } = await account();
    const factor = await enrolSecondFactor(db().ctx, id);
    nextStep();
    // The password steps one after another: ten right passwords at once are throttled past the
    // fifth guess reserved (password-attempts.ts), and the race here is the code's.
    const clients: WebClient[] = [];
    for (let i = 0; i < 10; i++) clients.push(await passwordStep(email));
    const code = totpCodeAt(factor.secret, now());
    const replies = await Promise.all(clients.map((client) => sendCode(client, code)));
    expect(replies.filter((r) => r.status === 303)).toHaveLength(1);
    expect(await sessionCount(db(), id)).toBe(1);
  });

  it('accepts a recovery code once', async () => {
    const { email, id } = await account();
    const factor = await enrolSecondFactor(db().ctx, id);
    const recovery = factor.recoveryCodes[3] ?? '';
    const first = await passwordStep(email);
    // Typed in capitals with spaces instead of dashes: the same code.
    expect((await sendCode(first, recovery.toUpperCase().replaceAll('-', ' '))).status).toBe(303);
    const second = await passwordStep(email);
    expect((await sendCode(second, recovery)).status).toBe(401);
    expect((await sendCode(second, factor.recoveryCodes[4] ?? '')).status).toBe(303);
    const page = await first.get('/account/two-factor?lang=en');
    expect(page.text).toContain('You have 8 recovery codes left.');
  });

  it('makes ten new recovery codes with the password and a code: the old ones void, a mail, audited', async () => {
    const { email, id } = await account();
    const factor = await enrolSecondFactor(db().ctx, id);
    nextStep();
    const client = await passwordStep(email);
    expect((await sendCode(client, totpCodeAt(factor.secret, now()))).status).toBe(303);
    const mailsBefore = await secondFactorMails(id);
    nextStep();
    const code = totpCodeAt(factor.secret, now());
    const regenerate = (password: string, c: string) =>
      client.submit('/account/two-factor', '/account/two-factor/recovery-codes', { password, code: c });
    const wrongPassword = await regenerate('not my password', code);
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.text).toContain('id="recovery-codes"');
    expect((await regenerate(PASSWORD, '000000')).status).toBe(400);
    expect(await secondFactorMails(id)).toBe(mailsBefore); // a refusal changes nothing

    const done = await regenerate(PASSWORD, code);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Nuovi codici di recupero generati: quelli vecchi non valgono più.');
    const codes = [...done.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] ?? '');
    expect(codes).toHaveLength(10);
    expect(codes).not.toContain(factor.recoveryCodes[0]);
    expect(await secondFactorMails(id)).toBe(mailsBefore + 1);
    expect(await auditActions(db(), id)).toContain('account.recovery_codes_regenerate');
    expect((await client.get('/account/two-factor?lang=en')).text).toContain(
      'You have 10 recovery codes left.',
    );
    await client.get('/account/two-factor?lang=it');

    // An old code no longer signs in; a new one does, once.
    const old = await passwordStep(email);
    expect((await sendCode(old, factor.recoveryCodes[0] ?? '')).status).toBe(401);
    expect((await sendCode(old, codes[0] ?? '')).status).toBe(303);
  });

  it('turns off only with the password and a code; audited; then the password alone signs in', async () => {
    const { email, id } = await account();
    const factor = await enrolSecondFactor(db().ctx, id);
    nextStep();
    const client = await passwordStep(email);
    expect((await sendCode(client, totpCodeAt(factor.secret, now()))).status).toBe(303);
    nextStep();
    const code = totpCodeAt(factor.secret, now());
    const disable = (password: string, c: string) =>
      client.submit('/account/two-factor', '/account/two-factor/disable', { password, code: c });
    expect((await disable('not my password', code)).status).toBe(400);
    expect((await disable(PASSWORD, '000000')).status).toBe(400);
    const done = await disable(PASSWORD, code);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account?notice=two_factor_off');
    expect(await auditActions(db(), id)).toEqual(
      expect.arrayContaining(['account.two_factor_enable', 'account.two_factor_disable']),
    );
    const fresh = new WebClient(baseUrl);
    const login = await fresh.submit('/login', '/login', { email, password: PASSWORD });
    expect(login.location).toBe('/dashboard');
  });

  it('sends an admin without a second factor to set it up before every admin page and action', async () => {
    const { email } = await account('admin');
    const client = await signedIn(email);
    const routes = adminRoutesInSource();
    const prefixes = new Set(routes.map((route) => route.path.split('/')[2] ?? ''));
    expect(prefixes).toEqual(
      new Set([
        '',
        'audit',
        'customers',
        'ledger',
        'orders',
        'payments',
        'payments.csv',
        'providers',
        'queue',
        'reports',
        'reports.csv',
        'services',
        'support',
      ]),
    );
    const csrf = await client.csrfFrom('/account');
    let checked = 0;
    for (const route of routes) {
      const path = route.path.replace(/:[a-z]+/g, '1');
      for (const method of [route.method]) {
        const reply = method === 'GET' ? await client.get(path) : await client.post(path, { _csrf: csrf });
        expect([path, reply.status, reply.headers.get('location')]).toEqual([
          path,
          303,
          '/account/two-factor?required=admin',
        ]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(27);
    // The setup page says why, and once set up the admin pages open.
    expect((await client.get('/account/two-factor?lang=en')).text).toContain('Admins must turn on');
    const accountId = (
      await db()
        .ctx.db.selectFrom('accounts')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).id;
    await enrolSecondFactor(db().ctx, Number(accountId));
    expect((await client.get('/admin')).status).toBe(200);
  });

  it('checks at most the limit of 100 wrong codes sent at once', async () => {
    const { email, id } = await account();
    await enrolSecondFactor(db().ctx, id);
    const attacker = await passwordStep(email);
    const csrf = await attacker.csrfFrom('/login/code');
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        attacker.post('/login/code', { code: String(100_000 + i * 7919).slice(0, 6), _csrf: csrf }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(100 - LIMIT);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(await sessionCount(db(), id)).toBe(0);
  });

  it('past the global limit, the owner with the password and a code still gets in; a guesser does not', async () => {
    const { email, id } = await account();
    const factor = await enrolSecondFactor(db().ctx, id);
    nextStep();
    const addresses = MAX_ATTEMPTS_PER_ACCOUNT / LIMIT;
    // A botnet guessing passwords from ten addresses, five each: the account's global limit.
    for (let a = 0; a < addresses; a++) {
      const bot = new AddressedClient(baseUrl, `127.0.1.${a + 1}`);
      const csrf = await bot.csrfFrom('/login');
      for (let i = 0; i < LIMIT; i++) {
        const reply = await bot.post('/login', { email, password: `guess ${a} ${i}`, _csrf: csrf });
        expect(reply.status).toBe(401);
      }
    }
    // The same for codes, by someone who has the password.
    for (let a = 0; a < addresses; a++) {
      const bot = new AddressedClient(baseUrl, `127.0.2.${a + 1}`);
      const csrf = await bot.csrfFrom('/login');
      expect((await bot.post('/login', { email, password: PASSWORD, _csrf: csrf })).status).toBe(303);
      const codeCsrf = await bot.csrfFrom('/login/code');
      for (let i = 0; i < LIMIT; i++) {
        const reply = await bot.post('/login/code', { code: '000000', _csrf: codeCsrf });
        expect(reply.status).toBe(401);
      }
    }
    // A guesser at a new address with a wrong code: one guess, then refused.
    const late = new AddressedClient(baseUrl, '127.0.3.1');
    const lateCsrf = await late.csrfFrom('/login');
    expect((await late.post('/login', { email, password: PASSWORD, _csrf: lateCsrf })).status).toBe(303);
    const lateCodeCsrf = await late.csrfFrom('/login/code');
    expect((await late.post('/login/code', { code: '000000', _csrf: lateCodeCsrf })).status).toBe(401);
    expect((await late.post('/login/code', { code: '111111', _csrf: lateCodeCsrf })).status).toBe(429);
    // The owner, on a new device: password, then the app's code.
    const owner = new AddressedClient(baseUrl, '127.0.3.2');
    const ownerCsrf = await owner.csrfFrom('/login');
    expect((await owner.post('/login', { email, password: PASSWORD, _csrf: ownerCsrf })).status).toBe(303);
    const ownerCodeCsrf = await owner.csrfFrom('/login/code');
    const code = totpCodeAt(factor.secret, now());
    const signedInReply = await owner.post('/login/code', { code, _csrf: ownerCodeCsrf });
    expect(signedInReply.status).toBe(303);
    expect(await sessionCount(db(), id)).toBe(1);
  });

  it.each([
    ['it', 'La password deve avere almeno 10 caratteri.', 'Questa password è troppo facile da indovinare.'],
    ['en', 'The password must have at least 10 characters.', 'This password is too easy to guess.'],
  ] as const)(
    'refuses short and guessable passwords in %s, at sign-up and on change',
    async (lang, short, weak) => {
      const visitor = new WebClient(baseUrl);
      await visitor.get(`/signup?lang=${lang}`);
      const email = `newcomer${++counter}@example.com`;
      const tooShort = await visitor.submit('/signup', '/signup', { email, password: 'abc defgh' });
      expect(tooShort.status).toBe(400);
      expect(tooShort.text).toContain(short);
      const common = await visitor.submit('/signup', '/signup', { email, password: '12345678901' });
      expect(common.status).toBe(400);
      expect(common.text).toContain(weak);
      // The checker's own advice, in the page's language.
      expect(common.text).toContain(
        lang === 'it' ? 'Aggiungi un maggior numero di parole' : 'Add more words',
      );
      const ownEmail = await visitor.submit('/signup', '/signup', { email, password: `${email}1` });
      expect(ownEmail.text).toContain(weak);
      expect(
        await db().ctx.db.selectFrom('accounts').select('id').where('email', '=', email).execute(),
      ).toEqual([]);

      const { email: owner } = await account();
      const client = await signedIn(owner);
      await client.get(`/account?lang=${lang}`);
      const change = await client.submit('/account', '/account/password', {
        current_password: PASSWORD,
        new_password: 'qwertyuiop123',
      });
      expect(change.status).toBe(400);
      expect(change.text).toContain(weak);
      const fine = await client.submit('/account', '/account/password', {
        current_password: PASSWORD,
        new_password: 'lanterna viola sul molo',
      });
      expect(fine.status).toBe(200);
    },
  );
});
