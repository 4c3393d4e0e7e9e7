import argon2 from 'argon2';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { ATTEMPT_WINDOW_MS, MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS } from '../src/app/password-attempts.js';
import { purgeExpiredRecords } from '../src/app/purge-expired-records.js';
import { AddressedClient } from './support/addressed-client.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { startWebServer } from './support/web-client.js';

const PASSWORD = 'correct horse battery';
const LIMIT = MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS;
let counter = 0;

async function sessionCount(db: TestDatabase, accountId: number): Promise<number> {
  const row = await db.ctx.db
    .selectFrom('web_sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function attemptCount(db: TestDatabase, email: string): Promise<number> {
  const row = await db.ctx.db
    .selectFrom('password_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every argon2 verification of this process, counted (and still run). */
function countVerifications(): { readonly count: number } {
  const verify = argon2.verify.bind(argon2);
  const counted = { count: 0 };
  vi.spyOn(argon2, 'verify').mockImplementation((...args: Parameters<typeof argon2.verify>) => {
    counted.count++;
    return verify(...args);
  });
  return counted;
}

describeEachDatabase('password guesses against the running panel', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
  });
  afterAll(() => stop());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function victim() {
    const email = `victim${++counter}-${Date.now()}@example.com`;
    const { id } = await createAccount(db().ctx, { email, password: PASSWORD });
    return { email, id };
  }

  /** A visitor at `address` with the log-in form's CSRF token. */
  async function visitor(address: string) {
    const client = new AddressedClient(baseUrl, address);
    const csrf = await client.csrfFrom('/login');
    const logIn = (password: string, email: string) =>
      client.post('/login', { email, password, _csrf: csrf });
    return { client, logIn };
  }

  it('checks at most the limit of 100 wrong passwords sent at once, and signs nobody in', async () => {
    const { email, id } = await victim();
    const attacker = await visitor('127.0.0.2');
    const verifications = countVerifications();
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attacker.logIn(`wrong password ${i}`, email)),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(verifications.count).toBe(LIMIT);
    expect(statuses.filter((status) => status === 401)).toHaveLength(verifications.count);
    expect(statuses.filter((status) => status === 429)).toHaveLength(100 - verifications.count);
    expect(await attemptCount(db(), email)).toBe(verifications.count);
    expect(await sessionCount(db(), id)).toBe(0);
  });

  it('refuses the right password that ends 30 parallel guesses once the limit is spent', async () => {
    const { email, id } = await victim();
    const attacker = await visitor('127.0.0.2');
    const wrong = Array.from({ length: 29 }, (_, i) => attacker.logIn(`guess ${i}`, email));
    // The right one leaves while the wrong ones are in flight, after the limit is reserved.
    while ((await attemptCount(db(), email)) < LIMIT) await new Promise((r) => setTimeout(r, 5));
    const right = await attacker.logIn(PASSWORD, email);
    await Promise.all(wrong);
    expect(right.status).toBe(429);
    expect(right.text).toContain('Troppi tentativi falliti');
    expect(right.headers['set-cookie']?.some((c) => c.startsWith('inspiria_session=')) ?? false).toBe(false);
    expect(await sessionCount(db(), id)).toBe(0);
  });

  it('keeps the owner able to sign in from elsewhere while the attacker is blocked', async () => {
    const { email, id } = await victim();
    const attacker = await visitor('127.0.0.2');
    for (let i = 0; i < LIMIT; i++) expect((await attacker.logIn(`guess ${i}`, email)).status).toBe(401);
    expect((await attacker.logIn(PASSWORD, email)).status).toBe(429);
    const owner = await visitor('127.0.0.3');
    const signedIn = await owner.logIn(PASSWORD, email);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/dashboard');
    expect((await owner.client.get('/account')).status).toBe(200);
    expect(await sessionCount(db(), id)).toBe(1);
    expect((await attacker.logIn(PASSWORD, email)).status).toBe(429);
  });

  it('counts guesses over the window only: older ones stop counting, and the worker, not a guess, deletes them', async () => {
    const { email } = await victim();
    const attacker = await visitor('127.0.0.9');
    for (let i = 0; i < LIMIT; i++) expect((await attacker.logIn(`old guess ${i}`, email)).status).toBe(401);
    expect((await attacker.logIn('one too many', email)).status).toBe(429);

    db().clock.advance(ATTEMPT_WINDOW_MS + 1);
    // Another wrong guess, elsewhere, leaves the expired rows alone: no DELETE on the sign-in path.
    const other = await victim();
    expect((await (await visitor('127.0.0.10')).logIn('wrong', other.email)).status).toBe(401);
    expect(await attemptCount(db(), email)).toBe(LIMIT);
    // Out of the window they no longer count: the attacker's next guess is checked again.
    expect((await attacker.logIn('new guess', email)).status).toBe(401);
    expect(await attemptCount(db(), email)).toBe(LIMIT + 1);

    // The worker's batched purge removes the expired ones and keeps the one in the window.
    await purgeExpiredRecords(db().ctx);
    expect(await attemptCount(db(), email)).toBe(1);
  });

  it('limits guesses at the current password of the change-password form', async () => {
    const { email } = await victim();
    const thief = await visitor('127.0.0.4');
    expect((await thief.logIn(PASSWORD, email)).status).toBe(303); // a stolen session
    const csrf = await thief.client.csrfFrom('/account');
    const change = (current: string) =>
      thief.client.post('/account/password', {
        current_password: current,
        new_password: 'a password of my own',
        _csrf: csrf,
      });
    const verifications = countVerifications();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => change(`guess ${i}`)));
    expect(verifications.count).toBe(LIMIT);
    expect(replies.filter((reply) => reply.status === 400)).toHaveLength(verifications.count);
    const throttled = replies.filter((reply) => reply.status === 429);
    expect(throttled).toHaveLength(20 - verifications.count);
    expect(throttled[0]?.text).toContain('Troppi tentativi falliti');
    // Even the right one now waits, and the password is unchanged.
    expect((await change(PASSWORD)).status).toBe(429);
    const owner = await visitor('127.0.0.5');
    expect((await owner.logIn(PASSWORD, email)).status).toBe(303);
  });
});
