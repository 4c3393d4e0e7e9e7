import { type ApiProfile, DEFAULT_API_PROFILE } from '../domain/api-profile.js';
import { type DiscountTier, nextTier } from '../domain/pricing.js';
import { findAccountById } from '../storage/accounts-repository.js';
import { findActiveKey } from '../storage/api-keys-repository.js';
import type { AppContext } from './context.js';
import { type DaySpending, spendingByDay } from './spending-by-day.js';

export interface Dashboard {
  balanceUnits: number;
  tier: DiscountTier;
  /** Net spending of the 14-day window that set the tier (contract §11). */
  windowSpendUnits: number;
  next?: { tier: DiscountTier; missingUnits: number };
  apiKey?: { prefix: string; createdAt: number };
  /** contract §13: how /api/v2 words its answers for this account. */
  apiProfile: ApiProfile;
  spending: DaySpending[];
}

/** Everything the customer's dashboard shows, read in one go. */
export async function getDashboard(ctx: AppContext, options: { accountId: number }): Promise<Dashboard> {
  const { accountId } = options;
  const account = await findAccountById(ctx.db, accountId);
  const standing = await ctx.discounts.standing(ctx.db, accountId, ctx.clock.now());
  const key = await findActiveKey(ctx.db, accountId);
  const next = nextTier(standing.spendUnits);
  return {
    balanceUnits: account?.balance_units ?? 0,
    apiProfile: account?.api_profile ?? DEFAULT_API_PROFILE,
    tier: standing.tier,
    windowSpendUnits: standing.spendUnits,
    ...(next ? { next } : {}),
    ...(key ? { apiKey: { prefix: key.prefix, createdAt: Number(key.created_at) } } : {}),
    spending: await spendingByDay(ctx, { accountId }),
  };
}
