import { describe, expect, it } from 'vitest';
import {
  canonicalDecimal,
  eurUnitsOf,
  marginBasisPoints,
  nextUpstreamCharge,
  operatorCostUnits,
  parseEurRate,
  parseExactDecimal,
  rateKeepingFloor,
} from './order-cost.js';

describe('order cost', () => {
  it('reads upstream decimals exactly and converts them to EUR units', () => {
    const charge = parseExactDecimal('1.23456');
    expect(charge && canonicalDecimal(charge)).toBe('1.23456');
    expect(charge && eurUnitsOf(charge, 1_000_000)).toBe(12_346);
    expect(charge && eurUnitsOf(charge, 920_000)).toBe(11_358); // 1.23456 × 0.92 = 1.1357952
    expect(parseExactDecimal('1e3')).toBeUndefined();
    expect(parseExactDecimal('-1')).toBeUndefined();
    expect(canonicalDecimal(parseExactDecimal('2.5000') ?? { digits: 0n, scale: 0 })).toBe('2.5');
    expect(canonicalDecimal(parseExactDecimal('0.05') ?? { digits: 0n, scale: 0 })).toBe('0.05');
  });

  it('keeps the first charge and then only a lower one', () => {
    expect(nextUpstreamCharge(null, '3.00')).toBe('3');
    expect(nextUpstreamCharge('3', '3.0')).toBeUndefined();
    expect(nextUpstreamCharge('3', '4')).toBeUndefined();
    expect(nextUpstreamCharge('3', '1.2')).toBe('1.2');
    expect(nextUpstreamCharge('3', 'abc')).toBeUndefined();
  });

  it('prices operator orders, margins and the floor', () => {
    expect(operatorCostUnits(1500, 20_000)).toBe(30_000);
    expect(marginBasisPoints(10_000, 9_000)).toBe(1000);
    expect(marginBasisPoints(10_000, 12_000)).toBe(-2000);
    const rate = rateKeepingFloor(9_500, 1000);
    expect(marginBasisPoints(rate, 9_500)).toBeGreaterThanOrEqual(1000);
    expect(marginBasisPoints(rate - 1, 9_500)).toBeLessThan(1000);
    expect(parseEurRate('0.92')).toBe(920_000);
    expect(parseEurRate('0')).toBeUndefined();
  });
});
