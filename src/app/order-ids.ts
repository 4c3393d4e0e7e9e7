import { DIGIT_ZERO, isAsciiDigit } from '../domain/ascii-digits.js';
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
    if (!isAsciiDigit(code)) return undefined;
    if (significantDigits > 0 || code !== DIGIT_ZERO) significantDigits += 1;
  }
  if (text.length === 0 || significantDigits > 15) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

const COMMA = 44;
const SPACE = 32;

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

/**
 * A batch `orders` parameter as read: its ids when every one is written plainly, else its
 * distinct texts (splitOrderBatch), which key the answer as sent.
 */
export type OrderBatch =
  /** Distinct, in the order sent; each written as String(id) writes it. */
  { readonly plainIds: readonly number[] } | { readonly texts: readonly string[] };

/** contract §7 and §8: a batch `orders` parameter, at most 100 distinct ids. */
export function readOrderBatch(text: string): OrderBatch {
  const plainIds = plainOrderIds(text);
  return plainIds ? { plainIds } : { texts: splitOrderBatch(text) };
}

/** The batch's distinct texts, in the order sent (a plain id's text is its digits). */
export const orderBatchTexts = (batch: OrderBatch): readonly string[] =>
  'texts' in batch ? batch.texts : batch.plainIds.map(String);

/**
 * The ids of a batch written as panels write them: digits without a leading zero, at most 15
 * of them, parts separated by commas with spaces only around them; empty parts skipped,
 * duplicates collapsed. undefined for any other text, which splitOrderBatch reads: it gives
 * the same ids then, as texts. One pass over the characters, and no string per id: reading a
 * hundred ids through splitOrderBatch and parseOrderId was ~17 µs of the ~130 µs a `status`
 * batch costs on PostgreSQL (npm run bench, BENCH_PROFILE=1); this is ~4 µs.
 */
export function plainOrderIds(text: string): number[] | undefined {
  const ids: number[] = [];
  // Ids sent in ascending order, as panels send them, are distinct without a lookup.
  let seen: Set<number> | undefined;
  let id = 0;
  let digits = 0;
  let isEnded = false;
  for (let index = 0; index <= text.length; index += 1) {
    const code = index < text.length ? text.charCodeAt(index) : COMMA;
    if (isAsciiDigit(code)) {
      if (isEnded || (digits === 0 && code === DIGIT_ZERO) || digits === 15) return undefined;
      id = id * 10 + (code - DIGIT_ZERO);
      digits += 1;
    } else if (code === COMMA) {
      if (digits > 0) {
        if (!seen && id <= (ids.at(-1) ?? 0)) seen = new Set(ids);
        if (!seen?.has(id)) {
          seen?.add(id);
          ids.push(id);
        }
      }
      id = 0;
      digits = 0;
      isEnded = false;
    } else if (code === SPACE) {
      if (digits > 0) isEnded = true;
    } else return undefined;
  }
  if (ids.length > MAX_BATCH_ORDERS) throw new DomainError('too_many_orders');
  return ids;
}
