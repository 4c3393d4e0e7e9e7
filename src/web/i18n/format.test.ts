import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits, MAX_UNITS } from '../../domain/money.js';
import { formatAmount, formatInteger, formatMoney } from './format.js';

describe('formatMoney', () => {
  it('formats Italian money with a dot for thousands and a comma for decimals', () => {
    expect(formatMoney('it', 12_345_000)).toBe('1.234,5000 €');
    expect(formatMoney('it', 1)).toBe('0,0001 €');
    expect(formatMoney('it', -12_345_000)).toBe('-1.234,5000 €');
  });
  it('formats English money with the euro sign first', () => {
    expect(formatMoney('en', 12_345_000)).toBe('€1,234.5000');
    expect(formatMoney('en', 0)).toBe('€0.0000');
  });
  it('drops the zero decimals of a round amount only', () => {
    expect(formatAmount('it', 500_000)).toBe('50 €');
    expect(formatAmount('it', 50_000_000)).toBe('5.000 €');
    expect(formatAmount('en', 50_000_000)).toBe('€5,000');
    expect(formatAmount('it', 500_001)).toBe('50,0001 €');
  });
  it('groups whole numbers by language', () => {
    expect(formatInteger('it', 12345)).toBe('12.345');
    expect(formatInteger('en', 12345)).toBe('12,345');
  });
});

describe('formatMoney against the API format', () => {
  it('shows exactly the digits of formatUnits, in both languages, for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_UNITS, max: MAX_UNITS }), (units) => {
        const api = formatUnits(units);
        const en = formatMoney('en', units).replace('€', '').replaceAll(',', '');
        const it = formatMoney('it', units).replace(' €', '').replaceAll('.', '').replace(',', '.');
        expect(en).toBe(api);
        expect(it).toBe(api);
      }),
      { numRuns: 2000 },
    );
  });
});
