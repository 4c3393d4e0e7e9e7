import { DomainError, type Refusal } from '../domain/errors.js';
import { findAccountById, setPasswordHash } from '../storage/accounts-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import { deleteOtherSessions } from '../storage/sessions-repository.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { reservePasswordAttempt, settlePasswordAttempt } from './password-attempts.js';
import { hashPassword, newPasswordRefusal, verifyPassword } from './passwords.js';
import { MAX_PASSWORD_LENGTH } from './sign-up.js';

export type ChangePasswordOutcome =
  | { ok: true }
  | { ok: false; reason: 'wrong_password' | 'throttled' }
  | { ok: false; reason: 'weak_password'; refusal: Refusal };

/**
 * Needs the current password; on success every other session of the account ends, so a
 * stolen session cannot outlive the change. Guessing the current password through this form
 * spends the account's log-in guesses (password-attempts.ts).
 */
export async function changePassword(
  ctx: AppContext,
  options: {
    accountId: number;
    currentPassword: string;
    newPassword: string;
    keepSessionHash: string;
    ip: string;
  },
): Promise<ChangePasswordOutcome> {
  const account = await findAccountById(ctx.db, options.accountId);
  if (!account) throw new DomainError('account_not_found');
  const current = options.currentPassword.slice(0, MAX_PASSWORD_LENGTH);
  const attempt = { email: account.email, ip: options.ip };
  if (!(await reservePasswordAttempt(ctx, attempt))) return { ok: false, reason: 'throttled' };
  const isRight = await verifyPassword(account.password_hash, current);
  await settlePasswordAttempt(ctx, { ...attempt, isRight });
  if (!isRight) return { ok: false, reason: 'wrong_password' };
  const next = options.newPassword;
  const weakness = await newPasswordRefusal(next, [account.email]);
  if (weakness) return { ok: false, reason: 'weak_password', refusal: weakness };
  const passwordHash = await hashPassword(next);
  await ctx.db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, account.id, passwordHash);
    await deleteOtherSessions(trx, account.id, options.keepSessionHash);
    await appendAudit(trx, {
      actor: `account:${account.id}`,
      action: 'account.password_change',
      targetAccountId: account.id,
      details: {},
      createdAt: ctx.clock.now(),
    });
    await enqueueMail(trx, { accountId: account.id }, 'password_changed', {}, ctx.clock.now());
  });
  return { ok: true };
}
