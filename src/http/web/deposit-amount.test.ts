import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDepositAmount } from './deposit-amount.js';

/** Whole cents written by hand: `1.234,56` (Italian), `1234,56`, `1234.56`, `1234`. */
function written(cents: number, style: 'it-grouped' | 'it' | 'en' | 'whole'): string {
  const euros = Math.floor(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  if (style === 'whole') return String(euros);
  if (style === 'en') return `${euros}.${fraction}`;
  if (style === 'it') return `${euros},${fraction}`;
  return `${String(euros).replace(/\B(?=(\d{3})+$)/g, '.')},${fraction}`;
}

describe('parseDepositAmount', () => {
  it('reads the amounts customers type, in both languages, as the exact units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.constantFrom('it-grouped', 'it', 'en', 'whole') as fc.Arbitrary<
          'it-grouped' | 'it' | 'en' | 'whole'
        >,
        (cents, style) => {
          const expected = style === 'whole' ? Math.floor(cents / 100) * 10_000 : cents * 100;
          expect(parseDepositAmount(written(cents, style))).toBe(expected);
        },
      ),
    );
  });

  it('refuses what is not whole cents of a positive amount', () => {
    const refused = [
      '',
      'abc',
      '10,001',
      '10.001',
      '-5',
      '1,2,3',
      '10,',
      '1e3',
      '0x10',
      '25,5.0',
      '10.000',
      '1.000.000',
    ];
    for (const text of refused) {
      expect(parseDepositAmount(text), text).toBeUndefined();
    }
    expect(parseDepositAmount(' 25,50 € ')).toBe(255_000);
    expect(parseDepositAmount('10.000,00')).toBe(100_000_000);
  });
});
