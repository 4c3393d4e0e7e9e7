import { DomainError } from '../domain/errors.js';
import { findAccountById } from '../storage/accounts-repository.js';
import type { AccountRow } from '../storage/schema.js';
import { checkSecondFactor } from './check-second-factor.js';
import type { AppContext } from './context.js';
import { reservePasswordAttempt, settlePasswordAttempt } from './password-attempts.js';
import { verifyPassword } from './passwords.js';
import { MAX_PASSWORD_LENGTH } from './sign-up.js';

export type BothFactorsRefusal = 'wrong_password' | 'wrong_code' | 'throttled';

/**
 * A change to the second factor itself needs both factors, so a stolen session alone cannot
 * make it. Both guesses spend the account's throttled attempts, as at sign-in.
 */
export async function proveBothFactors(
  ctx: AppContext,
  options: { accountId: number; password: string; code: string; ip: string },
): Promise<{ ok: true; account: AccountRow } | { ok: false; reason: BothFactorsRefusal }> {
  const account = await findAccountById(ctx.db, options.accountId);
  if (!account) throw new DomainError('account_not_found');
  const attempt = { email: account.email, ip: options.ip };
  if (!(await reservePasswordAttempt(ctx, attempt))) return { ok: false, reason: 'throttled' };
  const isRight = await verifyPassword(account.password_hash, options.password.slice(0, MAX_PASSWORD_LENGTH));
  await settlePasswordAttempt(ctx, { ...attempt, isRight });
  if (!isRight) return { ok: false, reason: 'wrong_password' };
  const check = await checkSecondFactor(ctx, { ...attempt, accountId: account.id, code: options.code });
  if (check !== 'right') return { ok: false, reason: check === 'throttled' ? 'throttled' : 'wrong_code' };
  return { ok: true, account };
}
