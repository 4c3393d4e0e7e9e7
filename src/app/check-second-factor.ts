import { claimTotpStep, findTwoFactor, useRecoveryCode } from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';
import { reservePasswordAttempt, settlePasswordAttempt } from './password-attempts.js';
import { matchingTotpStep } from './totp-codes.js';
import { hashRecoveryCode, openSecret } from './two-factor-secrets.js';

export type SecondFactorCheck = 'right' | 'wrong' | 'throttled';

/**
 * Codes are guessed under a key of their own, not the password's: a right password must not
 * forgive code guesses, and past the account's global limit the owner, on a new address, still
 * gets the one guess that lets a right code in (password-attempts.ts).
 */
export function secondFactorAttemptKey(email: string): string {
  return `2fa:${email}`;
}

/** An app code (6 digits, each accepted once) or an unused recovery code, spent if right. */
async function isRightSecondFactor(ctx: AppContext, accountId: number, code: string): Promise<boolean> {
  const row = await findTwoFactor(ctx.db, accountId);
  if (row?.enabled_at == null) return false;
  const nowMs = ctx.clock.now();
  const step = matchingTotpStep(openSecret(ctx.twoFactorKey, row.secret_sealed), code, nowMs);
  if (step !== undefined) return claimTotpStep(ctx.db, accountId, step);
  return useRecoveryCode(ctx.db, { accountId, codeHash: hashRecoveryCode(code), nowMs });
}

/**
 * Checks a second factor for a sign-in or a change that needs it. Each guess is reserved
 * before it is checked, like a password guess, so N codes sent at once cost at most the limit.
 */
export async function checkSecondFactor(
  ctx: AppContext,
  options: { accountId: number; email: string; ip: string; code: string },
): Promise<SecondFactorCheck> {
  const attempt = { email: secondFactorAttemptKey(options.email), ip: options.ip };
  if (!(await reservePasswordAttempt(ctx, attempt))) return 'throttled';
  const isRight = await isRightSecondFactor(ctx, options.accountId, options.code.slice(0, 100));
  await settlePasswordAttempt(ctx, { ...attempt, isRight });
  return isRight ? 'right' : 'wrong';
}
