import { appendAudit } from '../storage/audit-repository.js';
import { findTwoFactor, replaceRecoveryCodes } from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { type BothFactorsRefusal, proveBothFactors } from './prove-both-factors.js';
import { hashRecoveryCode, newRecoveryCodes } from './two-factor-secrets.js';

export type RegenerateRecoveryCodesOutcome =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; reason: BothFactorsRefusal | 'not_enabled' };

/**
 * Ten new recovery codes for an account whose second factor is on, against its password and a
 * code: every old code stops working in the same transaction, the owner is told by mail, and
 * the new codes are returned, the only time they exist in clear.
 */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  options: { accountId: number; password: string; code: string; ip: string },
): Promise<RegenerateRecoveryCodesOutcome> {
  const row = await findTwoFactor(ctx.db, options.accountId);
  if (row?.enabled_at == null) return { ok: false, reason: 'not_enabled' };
  const proof = await proveBothFactors(ctx, options);
  if (!proof.ok) return proof;
  const accountId = proof.account.id;
  const recoveryCodes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    const nowMs = ctx.clock.now();
    await replaceRecoveryCodes(trx, accountId, recoveryCodes.map(hashRecoveryCode));
    await appendAudit(trx, {
      actor: `account:${accountId}`,
      action: 'account.recovery_codes_regenerate',
      targetAccountId: accountId,
      details: {},
      createdAt: nowMs,
    });
    await enqueueMail(trx, { accountId }, 'second_factor_changed', {}, nowMs);
  });
  return { ok: true, recoveryCodes };
}
