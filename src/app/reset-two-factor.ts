import { appendAudit } from '../storage/audit-repository.js';
import { deleteTwoFactor } from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';

/**
 * The operator removes an account's second factor (a lost phone and lost recovery codes). The
 * owner signs in with the password alone afterwards; an admin is sent to set a new one up.
 */
export async function resetTwoFactor(
  ctx: AppContext,
  options: { accountId: number; actor: string },
): Promise<{ hadTwoFactor: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    const hadTwoFactor = await deleteTwoFactor(trx, options.accountId);
    await appendAudit(trx, {
      actor: options.actor,
      action: 'account.two_factor_reset',
      targetAccountId: options.accountId,
      details: { hadTwoFactor },
      createdAt: ctx.clock.now(),
    });
    return { hadTwoFactor };
  });
}
