import type { Lang } from './format.js';
import { messagesFor } from './index.js';
import { paymentMessages } from './payments.js';

/**
 * A word from one of the message tables, keyed by a value read from data: the value itself
 * when the table has no word for it. Lets the tables keep their exact keys (checked between
 * the languages) while data, which may hold anything, is looked up in them.
 */
export function wordOf<K extends string>(table: Readonly<Record<K, string>>, value: string): string {
  return Object.hasOwn(table, value) ? table[value as K] : value;
}

/** An order's status word (contract §7) as the page's language says it. */
export function orderStatusName(lang: Lang, status: string): string {
  return wordOf(messagesFor(lang).orders.statuses, status);
}

/** A payment's status as the page's language says it. */
export function paymentStatusName(lang: Lang, status: string): string {
  return wordOf(paymentMessages(lang).statuses, status);
}
