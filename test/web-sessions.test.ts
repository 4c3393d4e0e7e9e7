import argon2 from 'argon2';
import { afterEach, expect, it, vi } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { logIn } from '../src/app/log-in.js';
import { logOut } from '../src/app/log-out.js';
import {
  ATTEMPT_WINDOW_MS,
  MAX_ATTEMPTS_PER_ACCOUNT,
  MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS,
  MAX_ATTEMPTS_PER_ADDRESS,
} from '../src/app/password-attempts.js';
import { resolveWebSession } from '../src/app/resolve-web-session.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { SESSION_IDLE_MS, SESSION_TOUCH_INTERVAL_MS, SESSION_TTL_MS } from '../src/app/web-session-tokens.js';
import { describeEachDatabase } from './support/databases.js';

const PASSWORD = 'correct horse battery';
let counter = 0;

describeEachDatabase('web sessions and log-in throttling', (db) => {
  async function account() {
    const email = `session${++counter}-${Date.now()}@example.com`;
    const created = await createAccount(db().ctx, { email, password: PASSWORD });
    return { email, id: created.id };
  }

  it('resolves a session until it expires, and stores only a hash of its token', async () => {
    const { email, id } = await account();
    const outcome = await logIn(db().ctx, {
      email: ` ${email.toUpperCase()} `,
      password: PASSWORD,
      ip: '10.0.0.1',
    });
    if (!outcome.ok) throw new Error(`log-in refused: ${outcome.reason}`);
    const { token } = outcome.session;
    expect((await resolveWebSession(db().ctx, { token }))?.account.id).toBe(id);
    const stored = await db()
      .ctx.db.selectFrom('web_sessions')
      .selectAll()
      .where('account_id', '=', id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    db().clock.advance(SESSION_TTL_MS);
    expect(await resolveWebSession(db().ctx, { token })).toBeUndefined();
  });

  it('ends a session on log-out', async () => {
    const { email } = await account();
    const outcome = await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.0.2' });
    if (!outcome.ok) throw new Error('log-in refused');
    await logOut(db().ctx, { token: outcome.session.token });
    expect(await resolveWebSession(db().ctx, { token: outcome.session.token })).toBeUndefined();
  });

  it('throttles an address after 20 failures on any emails, for 15 minutes', async () => {
    const { email } = await account();
    const ip = '10.0.0.3';
    for (let i = 0; i < MAX_ATTEMPTS_PER_ADDRESS; i++) {
      const outcome = await logIn(db().ctx, { email: `nobody${i}@example.com`, password: 'x', ip });
      expect(outcome).toEqual({ ok: false, reason: 'invalid_credentials' });
    }
    expect(await logIn(db().ctx, { email, password: PASSWORD, ip })).toEqual({
      ok: false,
      reason: 'throttled',
    });
    // Another address is not affected, and this one recovers when the window has passed.
    expect((await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.0.4' })).ok).toBe(true);
    db().clock.advance(ATTEMPT_WINDOW_MS + 1);
    expect((await logIn(db().ctx, { email, password: PASSWORD, ip })).ok).toBe(true);
  });

  it('signs a suspended account in only to the support desk, after the right password', async () => {
    const { email, id } = await account();
    const outcome = await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.0.5' });
    if (!outcome.ok) throw new Error('log-in refused');
    await setAccountStatus(db().ctx, { accountId: id, status: 'suspended', actor: 'test' });
    expect(await logIn(db().ctx, { email, password: 'wrong password', ip: '10.0.0.5' })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    // The right password signs in, marked suspended: the web then opens the support desk only.
    expect(await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.0.5' })).toMatchObject({
      ok: true,
      isSuspended: true,
      owesMoney: false,
    });
    const session = await resolveWebSession(db().ctx, { token: outcome.session.token });
    expect(session?.account.status).toBe('suspended'); // requireAccount answers 403 for it
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function lastSeenOf(token: string): Promise<number> {
    const session = await resolveWebSession(db().ctx, { token });
    if (!session) throw new Error('no session');
    const row = await db()
      .ctx.db.selectFrom('web_sessions')
      .select('last_seen_at')
      .where('token_hash', '=', session.tokenHash)
      .executeTakeFirstOrThrow();
    return Number(row.last_seen_at);
  }

  it('ends a session unused for 12 hours, and records a use at most once a minute', async () => {
    const { email } = await account();
    const outcome = await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.1.1' });
    if (!outcome.ok) throw new Error('log-in refused');
    const { token } = outcome.session;
    const signedInAt = db().clock.now();
    db().clock.advance(SESSION_TOUCH_INTERVAL_MS - 1);
    expect(await lastSeenOf(token)).toBe(signedInAt); // within the minute: no write
    db().clock.advance(1);
    expect(await lastSeenOf(token)).toBe(signedInAt + SESSION_TOUCH_INTERVAL_MS);
    // Used every 11 hours, it lives on; then 12 hours unused end it.
    for (let i = 0; i < 3; i++) {
      db().clock.advance(11 * 60 * 60 * 1000);
      expect(await resolveWebSession(db().ctx, { token })).toBeDefined();
    }
    db().clock.advance(SESSION_IDLE_MS);
    expect(await resolveWebSession(db().ctx, { token })).toBeUndefined();
  });

  it('lets the owner in from a new address once the account-wide limit is reached', async () => {
    // Fast fake verification: these limits are about counting, not about argon2.
    vi.spyOn(argon2, 'verify').mockImplementation(async (_hash, password) => password === PASSWORD);
    const { email } = await account();
    const addresses = MAX_ATTEMPTS_PER_ACCOUNT / MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS;
    for (let a = 0; a < addresses; a++) {
      for (let i = 0; i < MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS; i++) {
        const outcome = await logIn(db().ctx, { email, password: `guess ${a} ${i}`, ip: `10.9.${a}.1` });
        expect(outcome).toEqual({ ok: false, reason: 'invalid_credentials' });
      }
    }
    // Past the account's limit a new address gets one guess, not five.
    const fresh = '10.9.200.1';
    expect(await logIn(db().ctx, { email, password: 'one more guess', ip: fresh })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(await logIn(db().ctx, { email, password: PASSWORD, ip: fresh })).toEqual({
      ok: false,
      reason: 'throttled',
    });
    // The owner, on a device of their own, still gets in (a second factor would be asked here).
    expect((await logIn(db().ctx, { email, password: PASSWORD, ip: '10.9.201.1' })).ok).toBe(true);
    db().clock.advance(ATTEMPT_WINDOW_MS + 1);
    expect((await logIn(db().ctx, { email, password: PASSWORD, ip: fresh })).ok).toBe(true);
  });
});
