import { describe, expect, it } from 'vitest';
import { bandOf, bandsWithin, median, serviceTimings, TIMING_MIN_ORDERS } from './service-timing.js';

const MINUTE = 60_000;

describe('median', () => {
  it.each([
    [[], undefined],
    [[7], 7],
    [[3, 1, 2], 2],
    [[10, 1, 4, 2], 3],
    [[1, 2], 2], // 1.5 rounds half up to a whole ms
    [[5, 5, 5, 100_000], 5],
  ])('of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('quantity bands', () => {
  it.each([
    [1, 'small'],
    [999, 'small'],
    [1000, 'medium'],
    [9999, 'medium'],
    [10_000, 'large'],
    [5_000_000, 'large'],
  ])('%i is %s', (quantity, id) => {
    expect(bandOf(quantity).id).toBe(id);
  });

  it('keeps only the bands a service’s limits reach', () => {
    expect(bandsWithin(25, 5000).map((b) => b.id)).toEqual(['small', 'medium']);
    expect(bandsWithin(1000, 1000).map((b) => b.id)).toEqual(['medium']);
    expect(bandsWithin(50, 100_000).map((b) => b.id)).toEqual(['small', 'medium', 'large']);
  });
});

describe('serviceTimings', () => {
  const limits = { minQuantity: 25, maxQuantity: 50_000 };

  it('gives the median per band, and none below the threshold', () => {
    const small = [10, 20, 30, 40, 50].map((m) => ({ quantity: 100, durationMs: m * MINUTE }));
    const medium = [{ quantity: 2000, durationMs: 90 * MINUTE }];
    const timings = serviceTimings([...small, ...medium], limits);
    expect(timings.map((t) => [t.band.id, t.orderCount, t.medianMs])).toEqual([
      ['small', 5, 30 * MINUTE],
      ['medium', 1, undefined],
      ['large', 0, undefined],
    ]);
  });

  it('needs exactly TIMING_MIN_ORDERS orders in a band for a figure', () => {
    const samples = (n: number) => Array.from({ length: n }, () => ({ quantity: 50, durationMs: MINUTE }));
    expect(serviceTimings(samples(TIMING_MIN_ORDERS - 1), limits)[0]?.medianMs).toBeUndefined();
    expect(serviceTimings(samples(TIMING_MIN_ORDERS), limits)[0]?.medianMs).toBe(MINUTE);
  });
});
