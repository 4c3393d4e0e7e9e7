import { DomainError } from '../domain/errors.js';

/** contract §7 and §8: at most this many ids in one batch. */
export const MAX_BATCH_ORDERS = 100;

/** A positive order id from its wire text, or undefined when the text is not one. */
export function parseOrderId(text: string): number | undefined {
  // contract §1: plain digits, leading zeros included (`007` is order 7).
  if (!/^0*\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

/**
 * Splits a batch `orders` parameter: comma separated, spaces tolerated, duplicates collapsed,
 * at most 100. The texts are kept as sent (trimmed) because they key the response.
 */
export function splitOrderBatch(text: string): string[] {
  const ids = [...new Set(text.split(',').map((part) => part.trim()))].filter((part) => part !== '');
  if (ids.length > MAX_BATCH_ORDERS) throw new DomainError('too_many_orders');
  return ids;
}
