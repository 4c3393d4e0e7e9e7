import { findAccountById } from '../storage/accounts-repository.js';
import {
  deletePendingSignIn,
  findPendingSignIn,
  insertPendingSignIn,
} from '../storage/two-factor-repository.js';
import { checkSecondFactor } from './check-second-factor.js';
import type { AppContext } from './context.js';
import { type SignedIn, signInAccount } from './signed-in.js';
import { hashSessionToken, newSecretToken } from './web-session-tokens.js';

/** Time to open the authenticator app and type a code; the password is asked again after. */
export const PENDING_SIGN_IN_TTL_MS = 5 * 60 * 1000;

/** A right password of an account with a second factor: a token for the code page, not a session. */
export async function startPendingSignIn(
  ctx: AppContext,
  accountId: number,
): Promise<{ token: string; expiresAt: number }> {
  const token = newSecretToken();
  const nowMs = ctx.clock.now();
  const expiresAt = nowMs + PENDING_SIGN_IN_TTL_MS;
  await insertPendingSignIn(ctx.db, {
    tokenHash: hashSessionToken(token),
    accountId,
    createdAt: nowMs,
    expiresAt,
  });
  return { token, expiresAt };
}

export type CompleteSignInOutcome = SignedIn | { ok: false; reason: 'expired' | 'wrong_code' | 'throttled' };

/** The pending sign-in's second factor: an app code or a recovery code turns it into a session. */
export async function completeSignIn(
  ctx: AppContext,
  options: { pendingToken: string; code: string; ip: string; userAgent?: string },
): Promise<CompleteSignInOutcome> {
  if (options.pendingToken.length === 0 || options.pendingToken.length > 100)
    return { ok: false, reason: 'expired' };
  const tokenHash = hashSessionToken(options.pendingToken);
  const pending = await findPendingSignIn(ctx.db, tokenHash, ctx.clock.now());
  const account = pending ? await findAccountById(ctx.db, pending.accountId) : undefined;
  if (!account) return { ok: false, reason: 'expired' };
  const check = await checkSecondFactor(ctx, {
    accountId: account.id,
    email: account.email,
    ip: options.ip,
    code: options.code,
  });
  if (check !== 'right') return { ok: false, reason: check === 'throttled' ? 'throttled' : 'wrong_code' };
  // Two right codes sent at once for the same pending sign-in make one session.
  if (!(await deletePendingSignIn(ctx.db, tokenHash))) return { ok: false, reason: 'expired' };
  return signInAccount(ctx, account, options);
}
