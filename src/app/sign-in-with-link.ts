import { findAccountById } from '../storage/accounts-repository.js';
import { consumeAccountToken } from './account-tokens.js';
import type { AppContext } from './context.js';
import { type StartedSession, startWebSession } from './start-web-session.js';

export type LinkSignInOutcome =
  | { ok: true; accountId: number; session: StartedSession; owesMoney: boolean }
  | { ok: false; reason: 'invalid_token' | 'suspended' };

/**
 * The emailed sign-in link, offered when password guesses at the account passed the global
 * limit (password-attempts.ts): whoever reads the owner's mail gets in, the guesser does not.
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
  const owesMoney = account.is_suspended_for_outstanding === 1;
  if (account.status !== 'active' && !owesMoney) return { ok: false, reason: 'suspended' };
  const session = await startWebSession(ctx, {
    accountId,
    ip: options.ip,
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
  });
  return { ok: true, accountId, session, owesMoney };
}
