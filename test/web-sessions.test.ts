import { expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { LOGIN_WINDOW_MS, logIn, MAX_FAILURES_PER_ADDRESS } from '../src/app/log-in.js';
import { logOut } from '../src/app/log-out.js';
import { resolveWebSession } from '../src/app/resolve-web-session.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { SESSION_TTL_MS } from '../src/app/web-session-tokens.js';
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
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      const outcome = await logIn(db().ctx, { email: `nobody${i}@example.com`, password: 'x', ip });
      expect(outcome).toEqual({ ok: false, reason: 'invalid_credentials' });
    }
    expect(await logIn(db().ctx, { email, password: PASSWORD, ip })).toEqual({
      ok: false,
      reason: 'throttled',
    });
    // Another address is not affected, and this one recovers when the window has passed.
    expect((await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.0.4' })).ok).toBe(true);
    db().clock.advance(LOGIN_WINDOW_MS + 1);
    expect((await logIn(db().ctx, { email, password: PASSWORD, ip })).ok).toBe(true);
  });

  it('refuses a suspended account only after the right password, and ends its web access', async () => {
    const { email, id } = await account();
    const outcome = await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.0.5' });
    if (!outcome.ok) throw new Error('log-in refused');
    await setAccountStatus(db().ctx, { accountId: id, status: 'suspended', actor: 'test' });
    expect(await logIn(db().ctx, { email, password: 'wrong password', ip: '10.0.0.5' })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(await logIn(db().ctx, { email, password: PASSWORD, ip: '10.0.0.5' })).toEqual({
      ok: false,
      reason: 'suspended',
    });
    const session = await resolveWebSession(db().ctx, { token: outcome.session.token });
    expect(session?.account.status).toBe('suspended'); // requireAccount answers 403 for it
  });
});
