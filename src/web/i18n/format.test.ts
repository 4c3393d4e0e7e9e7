import { describe, expect, it } from 'vitest';
import { formatInteger, formatMoney } from './format.js';

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
  it('groups whole numbers by language', () => {
    expect(formatInteger('it', 12345)).toBe('12.345');
    expect(formatInteger('en', 12345)).toBe('12,345');
  });
});
