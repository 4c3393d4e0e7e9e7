import { MAX_UNITS, mulDivHalfUp, type Units } from './money.js';

/**
 * What an order cost us, and the margin left on a service. Upstream amounts arrive as decimal
 * text in the provider's currency; they are read exactly (BigInt) and converted to EUR units
 * at the operator's rate for that provider (EUR per unit of its currency × 1,000,000), once.
 */
export const EUR_RATE_SCALE = 1_000_000;
const BASIS = 10_000;

interface ExactDecimal {
  readonly digits: bigint;
  readonly scale: number;
}

/** "12.3456789" as 123456789 × 10^-7; undefined for anything but a plain non-negative decimal. */
export function parseExactDecimal(value: unknown): ExactDecimal | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{1,15})(?:\.(\d{1,12}))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { digits: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

/** The decimal as written, without trailing zeros: "1.5000" and "1.5" are the same charge. */
export function canonicalDecimal(decimal: ExactDecimal): string {
  const text = decimal.digits.toString().padStart(decimal.scale + 1, '0');
  if (decimal.scale === 0) return text;
  const whole = text.slice(0, text.length - decimal.scale);
  const fraction = text.slice(text.length - decimal.scale).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** An amount in the provider's currency as EUR units at `eurRateMicros`, half up. */
export function eurUnitsOf(decimal: ExactDecimal, eurRateMicros: number): Units | undefined {
  const numerator = decimal.digits * BigInt(eurRateMicros) * BigInt(BASIS);
  const denominator = 10n ** BigInt(decimal.scale) * BigInt(EUR_RATE_SCALE);
  const units = Number((2n * numerator + denominator) / (2n * denominator));
  return Number.isSafeInteger(units) && units <= MAX_UNITS ? units : undefined;
}

/** The upstream charge that stands: the first one reported, then only a lower one (a refund). */
export function nextUpstreamCharge(previous: string | null, reported: unknown): string | undefined {
  const decimal = parseExactDecimal(reported);
  if (!decimal) return undefined;
  const text = canonicalDecimal(decimal);
  if (previous === null) return text;
  const before = parseExactDecimal(previous);
  if (!before) return text;
  const scale = Math.max(before.scale, decimal.scale);
  const lower =
    decimal.digits * 10n ** BigInt(scale - decimal.scale) <
    before.digits * 10n ** BigInt(scale - before.scale);
  return lower ? text : undefined;
}

/** An operator-queue order's cost: the units delivered at the service's cost per 1,000. */
export function operatorCostUnits(deliveredQuantity: number, costPer1000Units: number): Units {
  return mulDivHalfUp(deliveredQuantity, costPer1000Units, 1000);
}

/** Our margin on a rate, in basis points of our rate (negative when we lose money). */
export function marginBasisPoints(ourRateUnits: number, costRateUnits: number): number {
  if (ourRateUnits <= 0) return costRateUnits > 0 ? -BASIS : 0;
  const scaled = BigInt(ourRateUnits - costRateUnits) * BigInt(BASIS);
  const quotient = scaled / BigInt(ourRateUnits);
  // BigInt division truncates toward zero; a loss rounds down like a gain does.
  return Number(scaled < 0n && quotient * BigInt(ourRateUnits) !== scaled ? quotient - 1n : quotient);
}

/** The lowest rate whose margin over `costRateUnits` is at least the floor (rounded up). */
export function rateKeepingFloor(costRateUnits: number, floorBasisPoints: number): Units {
  const keep = BigInt(BASIS - floorBasisPoints);
  return Number((BigInt(costRateUnits) * BigInt(BASIS) + keep - 1n) / keep);
}

/** "0.92" EUR per unit of the provider's currency, as micros; 0 < rate ≤ 1,000,000. */
export function parseEurRate(text: string): number | undefined {
  const decimal = parseExactDecimal(text);
  if (!decimal || decimal.scale > 6) return undefined;
  const micros = Number(decimal.digits * 10n ** BigInt(6 - decimal.scale));
  return micros > 0 && micros <= EUR_RATE_SCALE * 1_000_000 ? micros : undefined;
}
