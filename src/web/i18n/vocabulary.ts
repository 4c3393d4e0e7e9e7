import type { OrderStatus } from '../../domain/order-lifecycle.js';
import type { PaymentStatus } from '../../domain/payments.js';
import type { Lang } from './format.js';

/**
 * The words a page shows for the data's own closed vocabularies (status words and the like).
 * Each table is keyed by the domain's type, so a new status without its word is a compile
 * error; a value from outside the vocabulary (an old row, a typo in a query) is shown as is.
 */
const ORDER_STATUSES: Readonly<Record<Lang, Readonly<Record<OrderStatus, string>>>> = {
  it: {
    Pending: 'In attesa',
    'In progress': 'In corso',
    Completed: 'Completato',
    Partial: 'Parziale',
    Canceled: 'Annullato',
    Error: 'Errore',
  },
  en: {
    Pending: 'Pending',
    'In progress': 'In progress',
    Completed: 'Completed',
    Partial: 'Partial',
    Canceled: 'Canceled',
    Error: 'Error',
  },
};

const PAYMENT_STATUSES: Readonly<Record<Lang, Readonly<Record<PaymentStatus, string>>>> = {
  it: {
    pending: 'In attesa',
    succeeded: 'Accreditato',
    failed: 'Non riuscito',
    expired: 'Scaduto',
    refunded: 'Rimborsato',
    partially_refunded: 'Rimborsato in parte',
    disputed: 'Contestato',
  },
  en: {
    pending: 'Pending',
    succeeded: 'Credited',
    failed: 'Failed',
    expired: 'Expired',
    refunded: 'Refunded',
    partially_refunded: 'Partly refunded',
    disputed: 'Disputed',
  },
};

function wordOf<K extends string>(table: Readonly<Record<K, string>>, value: string): string {
  return Object.hasOwn(table, value) ? table[value as K] : value;
}

export function orderStatusName(lang: Lang, status: string): string {
  return wordOf(ORDER_STATUSES[lang], status);
}

export function paymentStatusName(lang: Lang, status: string): string {
  return wordOf(PAYMENT_STATUSES[lang], status);
}
