import { appendAudit } from '../storage/audit-repository.js';
import {
  findTwoFactor,
  markTwoFactorEnabled,
  replaceRecoveryCodes,
} from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { matchingTotpStep } from './totp-codes.js';
import { hashRecoveryCode, newRecoveryCodes, openSecret } from './two-factor-secrets.js';

export type ConfirmTwoFactorOutcome =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; reason: 'wrong_code' | 'not_started' };

/**
 * The owner proves the app makes the right codes; the second factor is on from now, and the
 * ten recovery codes are returned, the only time they exist in clear.
 */
export async function confirmTwoFactor(
  ctx: AppContext,
  options: { accountId: number; code: string },
): Promise<ConfirmTwoFactorOutcome> {
  const row = await findTwoFactor(ctx.db, options.accountId);
  if (!row || row.enabled_at != null) return { ok: false, reason: 'not_started' };
  const nowMs = ctx.clock.now();
  const secret = openSecret(ctx.twoFactorKey, row.secret_sealed);
  const step = matchingTotpStep(secret, options.code.slice(0, 100), nowMs);
  if (step === undefined) return { ok: false, reason: 'wrong_code' };
  const recoveryCodes = newRecoveryCodes();
  const isEnabled = await ctx.db.transaction().execute(async (trx) => {
    if (!(await markTwoFactorEnabled(trx, { accountId: options.accountId, step, nowMs }))) return false;
    await replaceRecoveryCodes(trx, options.accountId, recoveryCodes.map(hashRecoveryCode));
    await appendAudit(trx, {
      actor: `account:${options.accountId}`,
      action: 'account.two_factor_enable',
      targetAccountId: options.accountId,
      details: {},
      createdAt: nowMs,
    });
    await enqueueMail(trx, { accountId: options.accountId }, 'second_factor_changed', {}, nowMs);
    return true;
  });
  return isEnabled ? { ok: true, recoveryCodes } : { ok: false, reason: 'not_started' };
}
