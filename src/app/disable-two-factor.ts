import { appendAudit } from '../storage/audit-repository.js';
import { deleteTwoFactor } from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';
import { type BothFactorsRefusal, proveBothFactors } from './prove-both-factors.js';

export type DisableTwoFactorOutcome = { ok: true } | { ok: false; reason: BothFactorsRefusal };

/** Turning the second factor off needs both factors: a stolen session alone cannot. */
export async function disableTwoFactor(
  ctx: AppContext,
  options: { accountId: number; password: string; code: string; ip: string },
): Promise<DisableTwoFactorOutcome> {
  const proof = await proveBothFactors(ctx, options);
  if (!proof.ok) return proof;
  const { account } = proof;
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
