import { findAccountByEmail } from '../storage/accounts-repository.js';
import { issueAccountToken } from './account-tokens.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { type MailRequestKind, reserveMailRequest } from './mail-request-limits.js';

export type EmailedLinkOutcome = { ok: true } | { ok: false; reason: 'throttled' };

/**
 * "Forgot password" and "send me a sign-in link": the same answer whether or not the address has
 * an account (a mail goes out only when it has one); limited per address and IP either way.
 */
export async function requestEmailedLink(
  ctx: AppContext,
  options: { email: string; ip: string; purpose: 'reset_password' | 'sign_in' },
): Promise<EmailedLinkOutcome> {
  const email = options.email.trim().toLowerCase().slice(0, 254);
  const kind: MailRequestKind = options.purpose === 'sign_in' ? 'sign_in' : 'reset';
  if (!(await reserveMailRequest(ctx, { kind, email, ip: options.ip })))
    return { ok: false, reason: 'throttled' };
  const account = await findAccountByEmail(ctx.db, email);
  if (!account) return { ok: true };
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const token = await issueAccountToken(trx, { accountId: account.id, purpose: options.purpose, nowMs });
    const mailKind = options.purpose === 'sign_in' ? 'sign_in_link' : 'reset_password';
    await enqueueMail(trx, { accountId: account.id }, mailKind, { token }, nowMs);
  });
  return { ok: true };
}
