import { type DiscountTier, nextTier } from '../domain/pricing.js';
import { getBalanceUnits } from '../storage/accounts-repository.js';
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
  spending: DaySpending[];
}

/** Everything the customer's dashboard shows, read in one go. */
export async function getDashboard(ctx: AppContext, options: { accountId: number }): Promise<Dashboard> {
  const { accountId } = options;
  const balanceUnits = (await getBalanceUnits(ctx.db, accountId)) ?? 0;
  const standing = await ctx.discounts.standing(ctx.db, accountId, ctx.clock.now());
  const key = await findActiveKey(ctx.db, accountId);
  const next = nextTier(standing.spendUnits);
  return {
    balanceUnits,
    tier: standing.tier,
    windowSpendUnits: standing.spendUnits,
    ...(next ? { next } : {}),
    ...(key ? { apiKey: { prefix: key.prefix, createdAt: Number(key.created_at) } } : {}),
    spending: await spendingByDay(ctx, { accountId }),
  };
}
