import type { LedgerLine } from '../../app/list-customer-ledger.js';
import { OPENING_BALANCE_NOTE, OUTSTANDING_SETTLED_NOTE } from '../../domain/ledger-notes.js';
import { paymentMessages } from '../i18n/payments.js';
import { orderStatusName, paymentStatusName, wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';

/**
 * The note of a ledger entry in the page's language, built from what the entry points at (its
 * order and its status, its payment) rather than from the English text stored with it. Only an
 * operator's own words (a manual credit's reason) are shown as typed.
 */
export function ledgerNote(page: PageContext, entry: LedgerLine): string {
  const n = page.t.ledger.notes;
  const { lang } = page;
  if (entry.order_id !== null) {
    if (entry.kind === 'refund') {
      return n.refund(entry.order_id, orderStatusName(lang, entry.order_status ?? ''));
    }
    return n.charge(entry.order_id);
  }
  if (entry.reason === OPENING_BALANCE_NOTE) return n.opening;
  const reference = entry.payment_reference;
  if (reference === null) return entry.reason ?? '';
  if (entry.reason === OUTSTANDING_SETTLED_NOTE) return n.settled(reference);
  if (Number(entry.amount_units) < 0) {
    return n.reversal(reference, paymentStatusName(lang, entry.payment_status ?? ''));
  }
  // An operator's credit is a manual payment whose reason the operator typed.
  if (entry.payment_method === 'manual') return entry.reason ?? n.operator;
  return n.payment(reference, wordOf(paymentMessages(lang).methods, entry.payment_method ?? ''));
}
