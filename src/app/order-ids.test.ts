import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import {
  MAX_BATCH_ORDERS,
  orderBatchTexts,
  parseOrderId,
  plainOrderIds,
  readOrderBatch,
  splitOrderBatch,
} from './order-ids.js';

/** The same numbers on every run: a failing text can be found again. */
function randomNumbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
}

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
    const next = randomNumbers(12345);
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

/** The ids as the text path reads them: every distinct text an id written as String(id) writes it. */
function plainIdsByTexts(text: string): number[] | undefined {
  const texts = splitOrderBatch(text);
  const ids = texts.map(parseOrderId);
  return ids.every((id, index) => id !== undefined && String(id) === texts[index])
    ? (ids as number[])
    : undefined;
}

describe('plainOrderIds', () => {
  it('reads ids written plainly, in the order sent, without duplicates or empty parts', () => {
    expect(plainOrderIds('1,2,3')).toEqual([1, 2, 3]);
    expect(plainOrderIds(' 12 , 5,,12, ')).toEqual([12, 5]);
    expect(plainOrderIds('3,1,3,2,1')).toEqual([3, 1, 2]);
    expect(plainOrderIds('7,7')).toEqual([7]);
    expect(plainOrderIds('999999999999999')).toEqual([999_999_999_999_999]);
    expect(plainOrderIds('')).toEqual([]);
    expect(plainOrderIds(' , ')).toEqual([]);
  });

  it('leaves every other text to the text path', () => {
    for (const text of [
      '007',
      '0',
      '1,0',
      '1 2',
      '1\t',
      '\u00a012',
      'x',
      '1,x',
      '-1',
      '+1',
      '1.0',
      '1e3',
      '１',
      '1000000000000000',
    ])
      expect(plainOrderIds(text), JSON.stringify(text)).toBeUndefined();
  });

  it('refuses more than the batch limit of distinct ids, counting after collapsing duplicates', () => {
    const distinct = Array.from({ length: MAX_BATCH_ORDERS + 1 }, (_, i) => String(MAX_BATCH_ORDERS + 1 - i));
    expect(() => plainOrderIds(distinct.join(','))).toThrow(DomainError);
    const repeated = [...distinct.slice(0, MAX_BATCH_ORDERS), distinct[3], distinct[0]];
    expect(plainOrderIds(repeated.join(','))).toHaveLength(MAX_BATCH_ORDERS);
  });

  it('agrees with the text path on many random batches', () => {
    const alphabet = '0123456789,,,   0x';
    const next = randomNumbers(4242);
    let plainCount = 0;
    for (let round = 0; round < 20_000; round += 1) {
      // Now and then a batch long enough to pass the limit.
      const length = round % 50 === 0 ? 300 + (next() % 400) : next() % 40;
      let text = '';
      for (let i = 0; i < length; i += 1) text += alphabet[next() % alphabet.length];
      let expected: number[] | undefined | 'too many';
      try {
        expected = plainIdsByTexts(text);
      } catch {
        expected = 'too many';
      }
      let found: number[] | undefined | 'too many';
      try {
        found = plainOrderIds(text);
      } catch {
        found = 'too many';
      }
      // Only the text path reads the `x`; everything else is the same answer.
      if (found === undefined && text.includes('x')) continue;
      expect(found, JSON.stringify(text)).toEqual(expected);
      if (Array.isArray(found) && found.length > 0) plainCount += 1;
    }
    expect(plainCount).toBeGreaterThan(1000);
  });
});

describe('readOrderBatch', () => {
  it('gives the ids of a plain batch and the texts of any other, each batch readable as texts', () => {
    const plain = readOrderBatch('5, 3,5');
    expect(plain).toEqual({ plainIds: [5, 3] });
    expect(orderBatchTexts(plain)).toEqual(['5', '3']);
    const written = readOrderBatch(' 12, 007 ,12,,x, 5');
    expect(written).toEqual({ texts: ['12', '007', 'x', '5'] });
    expect(orderBatchTexts(written)).toEqual(['12', '007', 'x', '5']);
    expect(() => readOrderBatch(Array.from({ length: 101 }, (_, i) => `0${i + 1}`).join(','))).toThrow(
      DomainError,
    );
  });
});
