import { findAccountById } from '../storage/accounts-repository.js';
import { issueAccountToken } from './account-tokens.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { reserveMailRequest } from './mail-request-limits.js';

export type ResendOutcome = { ok: true } | { ok: false; reason: 'throttled' | 'already_verified' };

/** The signed-in, unverified customer asks for a new verification link (limited like sign-up). */
export async function resendVerification(
  ctx: AppContext,
  options: { accountId: number; ip: string },
): Promise<ResendOutcome> {
  const account = await findAccountById(ctx.db, options.accountId);
  if (!account || account.email_verified_at !== null) return { ok: false, reason: 'already_verified' };
  if (!(await reserveMailRequest(ctx, { kind: 'verify', email: account.email, ip: options.ip }))) {
    return { ok: false, reason: 'throttled' };
  }
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const token = await issueAccountToken(trx, { accountId: account.id, purpose: 'verify_email', nowMs });
    await enqueueMail(trx, { accountId: account.id }, 'verify_email', { token }, nowMs);
  });
  return { ok: true };
}
