import { MAX_UNITS, mulDivHalfUp, UNITS_PER_EUR, type Units } from './money.js';

/**
 * Whether the largest order of a service has a charge we can hold exactly. A rate and limits
 * that break this would make `add` fail on arithmetic, so services are refused them up front.
 */
export function isChargeRepresentable(rateUnits: Units, maxQuantity: number): boolean {
  return (
    Number.isSafeInteger(rateUnits) &&
    Number.isSafeInteger(maxQuantity) &&
    rateUnits * maxQuantity <= MAX_UNITS * 1000
  );
}

/** contract §3: charge = rate × quantity / 1000, half up to 0.0001 EUR. */
export function orderCharge(rateUnits: Units, quantity: number): Units {
  return mulDivHalfUp(rateUnits, quantity, 1000);
}

export interface DiscountTier {
  readonly name: 'Base' | 'Lite' | 'Silver' | 'Gold' | 'Reseller';
  readonly percent: number;
  /** Spend (charges net of refunds) over 14 days from which this tier applies, inclusive. */
  readonly fromUnits: Units;
}

// contract §11: the boundaries are exact to 0.0001 EUR; €49.9999 is still Base.
export const DISCOUNT_TIERS: readonly DiscountTier[] = Object.freeze([
  { name: 'Base', percent: 0, fromUnits: 0 },
  { name: 'Lite', percent: 10, fromUnits: 50 * UNITS_PER_EUR },
  { name: 'Silver', percent: 20, fromUnits: 150 * UNITS_PER_EUR },
  { name: 'Gold', percent: 30, fromUnits: 300 * UNITS_PER_EUR },
  { name: 'Reseller', percent: 40, fromUnits: 600 * UNITS_PER_EUR },
]);

export const DISCOUNT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export function tierForSpend(spendUnits: Units): DiscountTier {
  let tier = DISCOUNT_TIERS[0] as DiscountTier;
  for (const candidate of DISCOUNT_TIERS) if (spendUnits >= candidate.fromUnits) tier = candidate;
  return tier;
}

/** The next tier and how much more spend reaches it, or undefined at the top. */
export function nextTier(spendUnits: Units): { tier: DiscountTier; missingUnits: Units } | undefined {
  const next = DISCOUNT_TIERS.find((tier) => tier.fromUnits > spendUnits);
  return next && { tier: next, missingUnits: next.fromUnits - spendUnits };
}

/** contract §11: base rate × (1 − discount), half up to 4 decimals. */
export function discountedRate(rateUnits: Units, tier: DiscountTier): Units {
  return mulDivHalfUp(rateUnits, 100 - tier.percent, 100);
}

/**
 * contract §11: the tier is computed at the top of each hour from the 14 days ending at that
 * hour and holds until the next hour. Spend counts orders created in [from, to) with the
 * charges and refunds booked before `to`.
 */
export function discountWindow(nowMs: number): { fromMs: number; toMs: number } {
  const toMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  return { fromMs: toMs - DISCOUNT_WINDOW_MS, toMs };
}
