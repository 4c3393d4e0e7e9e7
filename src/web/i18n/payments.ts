import type { Lang } from './format.js';
import { paymentsEn } from './payments-en.js';
import { type PaymentMessages, paymentsIt } from './payments-it.js';

export type { PaymentMessages } from './payments-it.js';

export function paymentMessages(lang: Lang): PaymentMessages {
  return lang === 'en' ? paymentsEn : paymentsIt;
}
