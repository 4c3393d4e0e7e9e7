import { type DiscountTier, discountWindow, tierForSpend } from '../domain/pricing.js';
import { spendUnitsBetween } from '../storage/ledger-repository.js';
import type { Executor } from '../storage/schema.js';

export interface DiscountStanding {
  readonly tier: DiscountTier;
  readonly spendUnits: number;
  /** The hour at which this standing was computed; it holds until the next hour. */
  readonly computedForMs: number;
}

const MAX_ENTRIES = 100_000;

/**
 * contract §11 fixes an account's tier for a whole hour from ledger entries booked before
 * that hour, so the figure is immutable once computed: caching it per (account, hour) is
 * exact, and every API node computes the same value on its own.
 */
export class DiscountCache {
  private readonly byAccount = new Map<number, DiscountStanding>();

  async standing(db: Executor, accountId: number, nowMs: number): Promise<DiscountStanding> {
    const { fromMs, toMs } = discountWindow(nowMs);
    const cached = this.byAccount.get(accountId);
    if (cached && cached.computedForMs === toMs) return cached;
    const spendUnits = await spendUnitsBetween(db, accountId, fromMs, toMs);
    const standing = { tier: tierForSpend(spendUnits), spendUnits, computedForMs: toMs };
    if (this.byAccount.size >= MAX_ENTRIES) this.byAccount.clear();
    this.byAccount.set(accountId, standing);
    return standing;
  }
}
