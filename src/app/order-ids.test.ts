import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { MAX_BATCH_ORDERS, parseOrderId, splitOrderBatch } from './order-ids.js';

/** contract §1, as the rule was first written: plain digits, at most 15 after leading zeros. */
function parseByRule(text: string): number | undefined {
  if (!/^0*\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

describe('parseOrderId', () => {
  it('reads plain digits, leading zeros included, and refuses everything else', () => {
    expect(parseOrderId('12345')).toBe(12345);
    expect(parseOrderId('007')).toBe(7);
    expect(parseOrderId('000000000000000000001')).toBe(1);
    expect(parseOrderId('999999999999999')).toBe(999_999_999_999_999);
    for (const text of [
      '',
      '0',
      '000',
      '-1',
      '+1',
      ' 1',
      '1 ',
      '1.0',
      '1e3',
      '0x10',
      '１',
      '1000000000000000',
    ])
      expect(parseOrderId(text)).toBeUndefined();
  });

  it('agrees with the rule on many random texts of digits and near-digits', () => {
    const alphabet = '0000123456789 -+.e/:a١';
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let round = 0; round < 20_000; round += 1) {
      const length = next() % 20;
      let text = '';
      for (let i = 0; i < length; i += 1) text += alphabet[next() % alphabet.length];
      expect(parseOrderId(text), JSON.stringify(text)).toBe(parseByRule(text));
    }
  });
});

describe('splitOrderBatch', () => {
  it('keeps the texts as sent, trimmed, in order, without duplicates or empty parts', () => {
    expect(splitOrderBatch(' 12, 007 ,12,,x, 5')).toEqual(['12', '007', 'x', '5']);
  });

  it('refuses more than the batch limit of distinct ids, counting after collapsing duplicates', () => {
    const distinct = Array.from({ length: MAX_BATCH_ORDERS + 1 }, (_, i) => String(i + 1));
    expect(() => splitOrderBatch(distinct.join(','))).toThrow(DomainError);
    const repeated = [...distinct.slice(0, MAX_BATCH_ORDERS), '1', '2'];
    expect(splitOrderBatch(repeated.join(','))).toHaveLength(MAX_BATCH_ORDERS);
  });
});
