import { findAccountByEmail } from '../storage/accounts-repository.js';
import { isTwoFactorEnabled } from '../storage/two-factor-repository.js';
import { startPendingSignIn } from './complete-sign-in.js';
import type { AppContext } from './context.js';
import { reservePasswordAttempt, settlePasswordAttempt } from './password-attempts.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { MAX_PASSWORD_LENGTH } from './sign-up.js';
import { type SignedIn, signInAccount } from './signed-in.js';

export type LogInOutcome =
  | SignedIn
  | { ok: false; reason: 'invalid_credentials' | 'throttled' }
  /** Right password, second factor on: the code page finishes the sign-in (complete-sign-in.ts). */
  | { ok: false; reason: 'second_factor'; pendingToken: string; expiresAt: number };

/** Verified against when the email is unknown, so both paths cost one argon2 verification. */
let dummyHash: Promise<string> | undefined;

/**
 * Email and password to a new session. A wrong password and an unknown email give the same
 * answer in about the same time; each guess is reserved before it is checked
 * (password-attempts.ts), for unknown emails too.
 */
export async function logIn(
  ctx: AppContext,
  options: { email: string; password: string; ip: string; userAgent?: string },
): Promise<LogInOutcome> {
  const email = options.email.trim().toLowerCase().slice(0, 254);
  const attempt = { email, ip: options.ip };
  const account = await findAccountByEmail(ctx.db, email);
  const hasSecondFactor = account !== undefined && (await isTwoFactorEnabled(ctx.db, account.id));
  if (!(await reservePasswordAttempt(ctx, attempt, { hasSecondFactor })))
    return { ok: false, reason: 'throttled' };
  dummyHash ??= hashPassword('not a real password');
  const password = options.password.slice(0, MAX_PASSWORD_LENGTH);
  const isValid = await verifyPassword(account?.password_hash ?? (await dummyHash), password);
  const isRight = account !== undefined && isValid;
  await settlePasswordAttempt(ctx, { ...attempt, isRight });
  if (!isRight) return { ok: false, reason: 'invalid_credentials' };
  if (hasSecondFactor) {
    const pending = await startPendingSignIn(ctx, account.id);
    return { ok: false, reason: 'second_factor', pendingToken: pending.token, expiresAt: pending.expiresAt };
  }
  return signInAccount(ctx, account, options);
}
