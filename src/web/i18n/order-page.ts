import type { Lang } from './format.js';
import { orderPageEn } from './order-page-en.js';
import { type OrderPageMessages, orderPageIt } from './order-page-it.js';

export type { OrderPageMessages } from './order-page-it.js';

export function orderPageMessages(lang: Lang): OrderPageMessages {
  return lang === 'en' ? orderPageEn : orderPageIt;
}
