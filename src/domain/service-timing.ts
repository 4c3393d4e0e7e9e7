/**
 * The average time of a service (issue 11): the median time from placement to completion of
 * its latest completed orders, per quantity band, so a customer sees how long an order of
 * their size usually takes before buying. Pure: the caller reads the orders and the clock.
 */

/** How many of a service's latest completed orders are measured. */
export const TIMING_SAMPLE_SIZE = 100;
/** Below this many completed orders in a band, no figure is shown: one slow order would be it. */
export const TIMING_MIN_ORDERS = 5;

export interface QuantityBand {
  readonly id: 'small' | 'medium' | 'large';
  readonly min: number;
  /** Inclusive; null for no upper bound. */
  readonly max: number | null;
}

/** Orders of a few hundred, of thousands and of tens of thousands take visibly different times. */
export const QUANTITY_BANDS: readonly QuantityBand[] = [
  { id: 'small', min: 1, max: 999 },
  { id: 'medium', min: 1_000, max: 9_999 },
  { id: 'large', min: 10_000, max: null },
];

export interface CompletedSample {
  quantity: number;
  /** From placement to completion, ms. */
  durationMs: number;
}

export interface BandTiming {
  band: QuantityBand;
  /** Completed orders measured in this band. */
  orderCount: number;
  /** undefined while orderCount is below TIMING_MIN_ORDERS ("not enough data yet"). */
  medianMs: number | undefined;
}

/** The middle value; the mean of the two middle values (rounded to a whole ms) for an even count. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  if (sorted.length % 2 === 1) return upper;
  return Math.round(((sorted[middle - 1] as number) + upper) / 2);
}

export function bandOf(quantity: number): QuantityBand {
  const band = QUANTITY_BANDS.find((b) => quantity >= b.min && (b.max === null || quantity <= b.max));
  return band ?? (QUANTITY_BANDS[0] as QuantityBand);
}

/** The bands a service's quantity limits reach: a 25–5,000 service has no 10,000+ band. */
export function bandsWithin(minQuantity: number, maxQuantity: number): QuantityBand[] {
  return QUANTITY_BANDS.filter((b) => b.min <= maxQuantity && (b.max === null || b.max >= minQuantity));
}

/** One figure per band the service reaches, from its latest completed orders. */
export function serviceTimings(
  samples: readonly CompletedSample[],
  limits: { minQuantity: number; maxQuantity: number },
): BandTiming[] {
  return bandsWithin(limits.minQuantity, limits.maxQuantity).map((band) => {
    const durations = samples.filter((s) => bandOf(s.quantity) === band).map((s) => s.durationMs);
    return {
      band,
      orderCount: durations.length,
      medianMs: durations.length >= TIMING_MIN_ORDERS ? median(durations) : undefined,
    };
  });
}
