import { describe, expect, it } from 'vitest';
import { UNITS_PER_EUR } from './money.js';
import {
  DISCOUNT_TIERS,
  DISCOUNT_WINDOW_MS,
  type DiscountTier,
  discountedRate,
  discountWindow,
  isChargeRepresentable,
  nextTier,
  orderCharge,
  tierForSpend,
} from './pricing.js';

const eur = (euros: number) => Math.round(euros * UNITS_PER_EUR);
const tier = (name: DiscountTier['name']) =>
  DISCOUNT_TIERS.find((candidate) => candidate.name === name) as DiscountTier;

describe('orderCharge (contract §3)', () => {
  it.each([
    // rate per 1000 in units, quantity, charge in units
    [35_000, 100, 3500], // the contract's example: 3.5000 × 100 / 1000 = 0.3500
    [35_000, 25, 875],
    [35_000, 5000, 175_000],
    [35_000, 1, 35],
    [1, 1, 0], // 0.0000001 EUR rounds to nothing
    [1, 499, 0],
    [1, 500, 1], // exactly half a unit rounds up
    [5, 100, 1],
    [15, 100, 2],
    [25, 100, 3], // 2.5 units: half up, not half even
    [12_345, 7, 86], // 86.415
    [12_345, 3, 37], // 37.035
    [0, 1000, 0],
    [69_000, 10_000, 690_000],
  ])('rate %i × quantity %i = %i units', (rateUnits, quantity, chargeUnits) => {
    expect(orderCharge(rateUnits, quantity)).toBe(chargeUnits);
  });
});

describe('discount tiers (contract §11)', () => {
  it('are Base 0%, Lite 10%, Silver 20%, Gold 30%, Reseller 40% from €0, €50, €150, €300, €600', () => {
    expect(DISCOUNT_TIERS.map((t) => [t.name, t.percent, t.fromUnits])).toEqual([
      ['Base', 0, 0],
      ['Lite', 10, eur(50)],
      ['Silver', 20, eur(150)],
      ['Gold', 30, eur(300)],
      ['Reseller', 40, eur(600)],
    ]);
  });

  it.each([
    [0, 'Base'],
    [1, 'Base'],
    [eur(49.9999), 'Base'],
    [eur(50), 'Lite'],
    [eur(50.0001), 'Lite'],
    [eur(149.9999), 'Lite'],
    [eur(150), 'Silver'],
    [eur(299.9999), 'Silver'],
    [eur(300), 'Gold'],
    [eur(599.9999), 'Gold'],
    [eur(600), 'Reseller'],
    [eur(1_000_000), 'Reseller'],
    [-1, 'Base'],
  ])('spend of %i units is %s', (spendUnits, name) => {
    expect(tierForSpend(spendUnits).name).toBe(name);
  });

  it.each([
    [0, 'Lite', eur(50)],
    [eur(49.9999), 'Lite', 1],
    [eur(50), 'Silver', eur(100)],
    [eur(299.9999), 'Gold', 1],
    [eur(599.9999), 'Reseller', 1],
  ])('from a spend of %i units the next tier is %s, %i units away', (spendUnits, name, missingUnits) => {
    expect(nextTier(spendUnits)).toEqual({ tier: tier(name as DiscountTier['name']), missingUnits });
  });

  it('has no next tier from Reseller', () => {
    expect(nextTier(eur(600))).toBeUndefined();
    expect(nextTier(eur(10_000))).toBeUndefined();
  });
});

describe('discountedRate (contract §11)', () => {
  it.each([
    [35_000, 'Base', 35_000],
    [35_000, 'Lite', 31_500],
    [35_000, 'Silver', 28_000],
    [35_000, 'Gold', 24_500],
    [35_000, 'Reseller', 21_000],
    [1, 'Lite', 1], // 0.9 → 1
    [1, 'Reseller', 1], // 0.6 → 1
    [5, 'Lite', 5], // 4.5 → 5: half up
    [15, 'Gold', 11], // 10.5 → 11
    [3, 'Reseller', 2], // 1.8 → 2
    [7, 'Gold', 5], // 4.9 → 5
    [12_345, 'Silver', 9876],
    [12_345, 'Lite', 11_111], // 11110.5 → 11111
    [0, 'Reseller', 0],
  ])('rate %i at %s is %i', (rateUnits, name, expected) => {
    expect(discountedRate(rateUnits, tier(name as DiscountTier['name']))).toBe(expected);
  });

  it('charges the discounted rate, each step rounded half up', () => {
    // 3.5000 at Lite is 3.1500; 100 of them cost 0.3150.
    expect(orderCharge(discountedRate(35_000, tier('Lite')), 100)).toBe(3150);
  });
});

describe('discountWindow (contract §11)', () => {
  const HOUR_MS = 3_600_000;
  const noon = Date.UTC(2026, 10, 27, 12, 0, 0, 0);

  it('is the 14 days ending at the top of the current hour', () => {
    expect(DISCOUNT_WINDOW_MS).toBe(14 * 24 * HOUR_MS);
    expect(discountWindow(noon)).toEqual({ fromMs: noon - DISCOUNT_WINDOW_MS, toMs: noon });
  });

  it('holds for the whole hour and moves exactly at the next one', () => {
    expect(discountWindow(noon + 1)).toEqual(discountWindow(noon));
    expect(discountWindow(noon + HOUR_MS - 1)).toEqual(discountWindow(noon));
    expect(discountWindow(noon + HOUR_MS)).toEqual({
      fromMs: noon + HOUR_MS - DISCOUNT_WINDOW_MS,
      toMs: noon + HOUR_MS,
    });
    expect(discountWindow(noon - 1)).toEqual({
      fromMs: noon - HOUR_MS - DISCOUNT_WINDOW_MS,
      toMs: noon - HOUR_MS,
    });
  });
});

describe('isChargeRepresentable', () => {
  it('accepts the largest order of a real catalog and refuses one whose charge we could not hold', () => {
    expect(isChargeRepresentable(35_000, 5000)).toBe(true);
    expect(isChargeRepresentable(1_000_000_000_000_000, 1000)).toBe(true);
    expect(isChargeRepresentable(1_000_000_000_000_000, 1001)).toBe(false);
    expect(isChargeRepresentable(1_000_000_000_000_000, 100_000_000)).toBe(false);
  });
});
