import { appendAudit } from '../storage/audit-repository.js';
import { deleteTwoFactor } from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';

/**
 * The operator removes an account's second factor (a lost phone and lost recovery codes). The
 * owner signs in with the password alone afterwards; an admin is sent to set a new one up.
 */
export async function resetTwoFactor(
  ctx: AppContext,
  options: { accountId: number; actor: string },
): Promise<{ hadTwoFactor: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    const nowMs = ctx.clock.now();
    const hadTwoFactor = await deleteTwoFactor(trx, options.accountId);
    await appendAudit(trx, {
      actor: options.actor,
      action: 'account.two_factor_reset',
      targetAccountId: options.accountId,
      details: { hadTwoFactor },
      createdAt: nowMs,
    });
    if (hadTwoFactor)
      await enqueueMail(trx, { accountId: options.accountId }, 'second_factor_changed', {}, nowMs);
    return { hadTwoFactor };
  });
}
