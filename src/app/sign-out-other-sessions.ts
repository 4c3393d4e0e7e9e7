import { appendAudit } from '../storage/audit-repository.js';
import { deleteOtherSessions } from '../storage/sessions-repository.js';
import type { AppContext } from './context.js';

/** Ends every session of the account but the caller's; returns how many ended. */
export async function signOutOtherSessions(
  ctx: AppContext,
  options: { accountId: number; keepSessionHash: string },
): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const ended = await deleteOtherSessions(trx, options.accountId, options.keepSessionHash);
    await appendAudit(trx, {
      actor: `account:${options.accountId}`,
      action: 'account.sign_out_others',
      targetAccountId: options.accountId,
      details: { ended },
      createdAt: ctx.clock.now(),
    });
    return ended;
  });
}
