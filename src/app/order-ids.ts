import { DomainError } from '../domain/errors.js';

/** contract §7 and §8: at most this many ids in one batch. */
export const MAX_BATCH_ORDERS = 100;

/** A positive order id from its wire text, or undefined when the text is not one. */
export function parseOrderId(text: string): number | undefined {
  // contract §1: plain digits, leading zeros included (`007` is order 7), at most 15 after
  // them (exact as a number). Read by char codes: a `status` batch parses a hundred per request.
  let significantDigits = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_ZERO || code > DIGIT_NINE) return undefined;
    if (significantDigits > 0 || code !== DIGIT_ZERO) significantDigits += 1;
  }
  if (text.length === 0 || significantDigits > 15) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

const DIGIT_ZERO = 48;
const DIGIT_NINE = 57;

/**
 * Splits a batch `orders` parameter: comma separated, spaces tolerated, duplicates collapsed,
 * at most 100. The texts are kept as sent (trimmed) because they key the response.
 */
export function splitOrderBatch(text: string): string[] {
  const ids = new Set<string>();
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed !== '') ids.add(trimmed);
  }
  if (ids.size > MAX_BATCH_ORDERS) throw new DomainError('too_many_orders');
  return [...ids];
}
