import type { Refusal } from '../domain/errors.js';
import { markEmailVerified, setPasswordHash } from '../storage/accounts-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import { deleteAccountSessions } from '../storage/sessions-repository.js';
import { consumeAccountToken } from './account-tokens.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { hashPassword, newPasswordRefusal } from './passwords.js';

export type ResetPasswordOutcome =
  | { ok: true }
  | { ok: false; reason: 'invalid_token' }
  | { ok: false; reason: 'weak_password'; refusal: Refusal };

/**
 * The reset link's form: a new password for whoever holds the (single-use, 30-minute) token.
 * Every session of the account ends, a thief's included, and the owner is told by mail. The
 * token proves the address too, so an unverified account becomes verified.
 */
export async function resetPassword(
  ctx: AppContext,
  options: { token: string; newPassword: string },
): Promise<ResetPasswordOutcome> {
  const next = options.newPassword;
  // The same rule as at sign-up and on the account page (the address is not known before the
  // token is spent, so it is not among the words the checker counts as guessable).
  const weakness = await newPasswordRefusal(next);
  if (weakness) return { ok: false, reason: 'weak_password', refusal: weakness };
  const passwordHash = await hashPassword(next);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const accountId = await consumeAccountToken(trx, {
      purpose: 'reset_password',
      token: options.token,
      nowMs,
    });
    if (accountId === undefined) return { ok: false, reason: 'invalid_token' } as const;
    await setPasswordHash(trx, accountId, passwordHash);
    await markEmailVerified(trx, accountId, nowMs);
    await deleteAccountSessions(trx, accountId);
    await appendAudit(trx, {
      actor: `account:${accountId}`,
      action: 'account.password_change',
      targetAccountId: accountId,
      details: { by: 'reset' },
      createdAt: nowMs,
    });
    await enqueueMail(trx, { accountId }, 'password_changed', {}, nowMs);
    return { ok: true } as const;
  });
}
