/**
 * Money is an integer count of 0.0001 EUR ("units"), never a float (contract §3).
 * 1 EUR = 10_000 units. Every amount that crosses the program's boundary is parsed from or
 * formatted to a decimal string here, and every rounding goes through `mulDivHalfUp`.
 */
export type Units = number;

export const UNITS_PER_EUR = 10_000;

/** The largest amount we accept anywhere: keeps every product below 2^53 before BigInt. */
export const MAX_UNITS = 1_000_000_000_000_000; // 100 billion EUR

/** a × b ÷ c, rounded half up, exact for any safe integers (computed in BigInt). */
export function mulDivHalfUp(a: number, b: number, c: number): Units {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c) || c <= 0) {
    throw new RangeError(`mulDivHalfUp needs safe integers and a positive divisor: ${a}, ${b}, ${c}`);
  }
  const product = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  // Half up on the magnitude: floor((2m + c) / 2c).
  const rounded = (2n * magnitude + divisor) / (2n * divisor);
  const result = Number(negative ? -rounded : rounded);
  if (!Number.isSafeInteger(result)) throw new RangeError('mulDivHalfUp result out of range');
  return result;
}

/** "42.5000" for 425000: exactly 4 decimals, as every money string in a response (contract §3). */
export function formatUnits(units: Units): string {
  const negative = units < 0;
  const magnitude = Math.abs(units);
  const whole = Math.floor(magnitude / UNITS_PER_EUR);
  const fraction = String(magnitude % UNITS_PER_EUR).padStart(4, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/**
 * Parses an operator-typed EUR amount ("10.5", "-3", "0.0001") into units. Rejects more
 * than 4 decimals rather than rounding: an operator's amount is meant exactly.
 */
export function parseEuros(text: string): Units | undefined {
  const match = /^(-)?(\d{1,15})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const units = Number(whole) * UNITS_PER_EUR + Number(fraction.padEnd(4, '0'));
  if (!Number.isSafeInteger(units) || units > MAX_UNITS) return undefined;
  return sign ? -units : units;
}
