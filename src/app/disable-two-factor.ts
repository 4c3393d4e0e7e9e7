import { DomainError } from '../domain/errors.js';
import { findAccountById } from '../storage/accounts-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import { deleteTwoFactor } from '../storage/two-factor-repository.js';
import { checkSecondFactor } from './check-second-factor.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { reservePasswordAttempt, settlePasswordAttempt } from './password-attempts.js';
import { verifyPassword } from './passwords.js';
import { MAX_PASSWORD_LENGTH } from './sign-up.js';

export type DisableTwoFactorOutcome =
  | { ok: true }
  | { ok: false; reason: 'wrong_password' | 'wrong_code' | 'throttled' };

/**
 * Turning the second factor off needs both factors: a stolen session alone cannot. Both
 * guesses spend the account's throttled attempts, as at sign-in.
 */
export async function disableTwoFactor(
  ctx: AppContext,
  options: { accountId: number; password: string; code: string; ip: string },
): Promise<DisableTwoFactorOutcome> {
  const account = await findAccountById(ctx.db, options.accountId);
  if (!account) throw new DomainError('account_not_found');
  const attempt = { email: account.email, ip: options.ip };
  if (!(await reservePasswordAttempt(ctx, attempt))) return { ok: false, reason: 'throttled' };
  const isRight = await verifyPassword(account.password_hash, options.password.slice(0, MAX_PASSWORD_LENGTH));
  await settlePasswordAttempt(ctx, { ...attempt, isRight });
  if (!isRight) return { ok: false, reason: 'wrong_password' };
  const check = await checkSecondFactor(ctx, { ...attempt, accountId: account.id, code: options.code });
  if (check !== 'right') return { ok: false, reason: check === 'throttled' ? 'throttled' : 'wrong_code' };
  await ctx.db.transaction().execute(async (trx) => {
    const nowMs = ctx.clock.now();
    await deleteTwoFactor(trx, account.id);
    await appendAudit(trx, {
      actor: `account:${account.id}`,
      action: 'account.two_factor_disable',
      targetAccountId: account.id,
      details: {},
      createdAt: nowMs,
    });
    await enqueueMail(trx, { accountId: account.id }, 'second_factor_changed', {}, nowMs);
  });
  return { ok: true };
}
