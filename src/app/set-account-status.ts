import { DomainError } from '../domain/errors.js';
import { findAccountById, updateAccountStatus as storeStatus } from '../storage/accounts-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import type { AccountStatus } from '../storage/schema.js';
import type { AppContext } from './context.js';

/** Suspends or reactivates an account; the API refuses a suspended one from the next request. */
export async function setAccountStatus(
  ctx: AppContext,
  options: { accountId: number; status: AccountStatus; actor: string },
): Promise<void> {
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const account = await findAccountById(trx, options.accountId);
    if (!account) throw new DomainError('account_not_found');
    await storeStatus(trx, account.id, options.status);
    await appendAudit(trx, {
      actor: options.actor,
      action: options.status === 'suspended' ? 'account.suspend' : 'account.unsuspend',
      targetAccountId: account.id,
      details: { status: { from: account.status, to: options.status } },
      createdAt: nowMs,
    });
  });
  // This node refuses or serves the account from now; the others on the database's signal.
  ctx.apiKeys.dropAll();
}
