import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits, MAX_UNITS, mulDivHalfUp, parseEuros, UNITS_PER_EUR } from './money.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

describe('mulDivHalfUp', () => {
  it.each([
    // contract §3: rate 3.5000, quantity 100 → 0.3500
    [35_000, 100, 1000, 3500],
    [1, 4, 10, 0],
    [1, 5, 10, 1],
    [1, 6, 10, 1],
    [1, 15, 10, 2],
    // half up, not half even: 2.5 → 3, 0.5 → 1
    [1, 25, 10, 3],
    [5, 1, 10, 1],
    [0, 12_345, 7, 0],
    [7, 3, 1, 21],
    [2, 1, 3, 1],
    [1, 1, 3, 0],
    [4, 1, 10, 0],
    [12_345, 37, 1000, 457], // 456.765
    [12_345, 90, 100, 11_111], // 11 110.5
  ])('%i × %i ÷ %i = %i', (a, b, c, expected) => {
    expect(mulDivHalfUp(a, b, c)).toBe(expected);
  });

  it.each([
    [-1, 4, 10, 0],
    [-1, 5, 10, -1],
    [-1, 15, 10, -2],
    [-1, 25, 10, -3],
    [1, -25, 10, -3],
    [-35_000, 100, 1000, -3500],
    [-2, -5, 10, 1],
    [-1, 1, 2, -1],
    [-24, 1, 10, -2],
  ])(
    'negatives round half away from zero, symmetric with positives: %i × %i ÷ %i = %i',
    (a, b, c, expected) => {
      const result = mulDivHalfUp(a, b, c);
      expect(result).toBe(expected);
      expect(Object.is(result, -0)).toBe(false);
    },
  );

  it('is exact where the product leaves the range of doubles', () => {
    expect(mulDivHalfUp(MAX_SAFE, MAX_SAFE, MAX_SAFE)).toBe(MAX_SAFE);
    expect(mulDivHalfUp(MAX_SAFE, 2, 4)).toBe(4_503_599_627_370_496); // …495.5 rounds up
    expect(mulDivHalfUp(MAX_SAFE, 1, 2)).toBe(4_503_599_627_370_496);
    expect(mulDivHalfUp(MAX_SAFE - 1, 1, 2)).toBe(4_503_599_627_370_495);
    // 10^15 × 9999 = 9.999 × 10^18, far beyond 2^53, divided back into range.
    expect(mulDivHalfUp(MAX_UNITS, 9_999, 10_000)).toBe(999_900_000_000_000);
    expect(mulDivHalfUp(MAX_UNITS + 1, 9_999, 10_000)).toBe(999_900_000_000_001); // …000.9999 rounds up
    expect(mulDivHalfUp(-MAX_SAFE, MAX_SAFE, MAX_SAFE)).toBe(-MAX_SAFE);
  });

  it('matches a quotient-and-remainder reference on random safe integers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -MAX_SAFE, max: MAX_SAFE }),
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: 1, max: MAX_SAFE }),
        (a, b, c) => {
          const product = BigInt(a) * BigInt(b);
          const magnitude = product < 0n ? -product : product;
          const divisor = BigInt(c);
          const rounded = magnitude / divisor + (2n * (magnitude % divisor) >= divisor ? 1n : 0n);
          const expected = product < 0n ? -rounded : rounded;
          if (expected > BigInt(MAX_SAFE) || expected < -BigInt(MAX_SAFE)) {
            expect(() => mulDivHalfUp(a, b, c)).toThrow(RangeError);
          } else {
            expect(BigInt(mulDivHalfUp(a, b, c))).toBe(expected);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    [1.5, 1, 1],
    [1, Number.NaN, 1],
    [MAX_SAFE + 1, 1, 1],
    [1, Number.POSITIVE_INFINITY, 1],
    [1, 1, 0],
    [1, 1, -10],
    [1, 1, 0.5],
  ])('refuses %s × %s ÷ %s', (a, b, c) => {
    expect(() => mulDivHalfUp(a, b, c)).toThrow(RangeError);
  });

  it('refuses a result beyond the safe integers', () => {
    expect(() => mulDivHalfUp(MAX_SAFE, 3, 2)).toThrow(/out of range/);
  });
});

describe('formatUnits', () => {
  it.each([
    [0, '0.0000'],
    [1, '0.0001'],
    [35, '0.0035'],
    [3500, '0.3500'],
    [9999, '0.9999'],
    [10_000, '1.0000'],
    [10, '0.0010'],
    [3_500, '0.3500'],
    [425_000, '42.5000'],
    [1_234_567, '123.4567'],
    [123_456_789, '12345.6789'],
    [-35_000, '-3.5000'],
    [MAX_UNITS, '100000000000.0000'],
    [-1, '-0.0001'],
    [-425_000, '-42.5000'],
    [-10_000, '-1.0000'],
  ])('%i units are "%s" EUR', (units, text) => {
    expect(formatUnits(units)).toBe(text);
  });

  it('always has exactly 4 decimals and round-trips through parseEuros', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_UNITS, max: MAX_UNITS }), (units) => {
        const text = formatUnits(units);
        expect(text).toMatch(/^-?\d+\.\d{4}$/);
        expect(parseEuros(text)).toBe(units === 0 ? 0 : units);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseEuros', () => {
  it.each([
    ['10.5', 105_000],
    ['10.50', 105_000],
    ['12.5', 125_000],
    ['0.0001', 1],
    ['3', 30_000],
    ['007', 70_000],
    ['-3', -30_000],
    ['-0.0001', -1],
    ['-10.5', -105_000],
    [' 10.5 ', 105_000],
    ['100000000000', MAX_UNITS],
    ['0', 0],
  ])('"%s" is %i units', (text, units) => {
    expect(parseEuros(text)).toBe(units);
  });

  it.each([
    '1.23456',
    '0.00001',
    'abc',
    '',
    ' ',
    '1e3',
    '+1',
    '1,5',
    '.5',
    '5.',
    '0x10',
    '1 000',
    '--1',
    '1.2.3',
    'Infinity',
    'NaN',
    '１',
    '100000000000.0001',
    '999999999999999',
    '1234567890123456',
  ])('refuses "%s"', (text) => {
    expect(parseEuros(text)).toBeUndefined();
  });

  it('is an integer count of 0.0001 EUR', () => {
    expect(UNITS_PER_EUR).toBe(10_000);
    // 0.1 + 0.2 as floats is 0.30000000000000004; as units it is exact.
    expect((parseEuros('0.1') ?? 0) + (parseEuros('0.2') ?? 0)).toBe(parseEuros('0.3'));
  });
});
