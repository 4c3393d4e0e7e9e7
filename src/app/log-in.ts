import { findAccountByEmail } from '../storage/accounts-repository.js';
import {
  clearLoginFailuresForEmail,
  countRecentLoginFailures,
  deleteOldLoginFailures,
  recordLoginFailure,
} from '../storage/login-failures-repository.js';
import type { AppContext } from './context.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { MAX_PASSWORD_LENGTH } from './sign-up.js';
import { type StartedSession, startWebSession } from './start-web-session.js';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type LogInOutcome =
  | { ok: true; accountId: number; session: StartedSession; owesMoney: boolean }
  | { ok: false; reason: 'invalid_credentials' | 'throttled' | 'suspended' };

/** Verified against when the email is unknown, so both paths cost one argon2 verification. */
let dummyHash: Promise<string> | undefined;

/**
 * Email and password to a new session. A wrong password and an unknown email give the same
 * answer in about the same time; failures are counted per email and per address.
 */
export async function logIn(
  ctx: AppContext,
  options: { email: string; password: string; ip: string },
): Promise<LogInOutcome> {
  const nowMs = ctx.clock.now();
  const email = options.email.trim().toLowerCase().slice(0, 254);
  const sinceMs = nowMs - LOGIN_WINDOW_MS;
  const failures = await countRecentLoginFailures(ctx.db, { email, ip: options.ip, sinceMs });
  if (failures.byEmail >= MAX_FAILURES_PER_ACCOUNT || failures.byIp >= MAX_FAILURES_PER_ADDRESS) {
    return { ok: false, reason: 'throttled' };
  }
  const account = await findAccountByEmail(ctx.db, email);
  dummyHash ??= hashPassword('not a real password');
  const password = options.password.slice(0, MAX_PASSWORD_LENGTH);
  const isValid = await verifyPassword(account?.password_hash ?? (await dummyHash), password);
  if (!account || !isValid) {
    await deleteOldLoginFailures(ctx.db, sinceMs);
    await recordLoginFailure(ctx.db, { email, ip: options.ip, createdAt: nowMs });
    return { ok: false, reason: 'invalid_credentials' };
  }
  await clearLoginFailuresForEmail(ctx.db, email);
  // A customer the panel suspended for an amount owed signs in to settle it; an operator's
  // suspension keeps them out.
  const owesMoney = account.is_suspended_for_outstanding === 1;
  if (account.status !== 'active' && !owesMoney) return { ok: false, reason: 'suspended' };
  return {
    ok: true,
    accountId: account.id,
    session: await startWebSession(ctx, { accountId: account.id }),
    owesMoney,
  };
}
