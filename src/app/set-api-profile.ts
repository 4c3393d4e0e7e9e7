import type { ApiProfile } from '../domain/api-profile.js';
import { DomainError } from '../domain/errors.js';
import { lockAccountRow, updateApiProfile as storeProfile } from '../storage/accounts-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import type { AppContext } from './context.js';

/**
 * Sets the account's /api/v2 compatibility profile (contract §13); the next API request is
 * answered in it. Every change is audited, the customer's own included: a panel whose answers
 * changed shape is the first thing an operator asks about.
 */
export async function setApiProfile(
  ctx: AppContext,
  options: { accountId: number; profile: ApiProfile; actor: string },
): Promise<{ profileBefore: ApiProfile; profile: ApiProfile }> {
  const nowMs = ctx.clock.now();
  const changed = await ctx.db.transaction().execute(async (trx) => {
    // The row lock orders two changes at once, so each audit row names the profile it replaced.
    const account = await lockAccountRow(trx, options.accountId);
    if (!account) throw new DomainError('account_not_found');
    const profileBefore = account.api_profile;
    if (profileBefore !== options.profile) {
      await storeProfile(trx, account.id, options.profile);
      await appendAudit(trx, {
        actor: options.actor,
        action: 'account.api_profile',
        targetAccountId: account.id,
        details: { profile: { from: profileBefore, to: options.profile } },
        createdAt: nowMs,
      });
    }
    return { profileBefore, profile: options.profile };
  });
  // This node answers in the new profile from now; the others on the database's signal.
  ctx.apiKeys.dropAll();
  return changed;
}
