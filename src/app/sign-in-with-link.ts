import { findAccountById } from '../storage/accounts-repository.js';
import { isTwoFactorEnabled } from '../storage/two-factor-repository.js';
import { consumeAccountToken } from './account-tokens.js';
import { startPendingSignIn } from './complete-sign-in.js';
import type { AppContext } from './context.js';
import { type SignedIn, signInAccount } from './signed-in.js';

export type LinkSignInOutcome =
  | SignedIn
  | { ok: false; reason: 'invalid_token' }
  /** The link stands for the password only: an account with a second factor still needs its code. */
  | { ok: false; reason: 'second_factor'; pendingToken: string; expiresAt: number };

/**
 * The emailed sign-in link, offered when password guesses at the account passed the global
 * limit (password-attempts.ts): whoever reads the owner's mail gets in, the guesser does not.
 * It replaces the password, never the second factor, and leads where a password sign-in leads
 * (an operator-suspended customer to the support desk).
 */
export async function signInWithLink(
  ctx: AppContext,
  options: { token: string; ip: string; userAgent?: string },
): Promise<LinkSignInOutcome> {
  const nowMs = ctx.clock.now();
  const accountId = await ctx.db
    .transaction()
    .execute((trx) => consumeAccountToken(trx, { purpose: 'sign_in', token: options.token, nowMs }));
  if (accountId === undefined) return { ok: false, reason: 'invalid_token' };
  const account = await findAccountById(ctx.db, accountId);
  if (!account) return { ok: false, reason: 'invalid_token' };
  if (await isTwoFactorEnabled(ctx.db, account.id)) {
    const pending = await startPendingSignIn(ctx, account.id);
    return { ok: false, reason: 'second_factor', pendingToken: pending.token, expiresAt: pending.expiresAt };
  }
  return signInAccount(ctx, account, options);
}
