import { adminEn } from './admin-en.js';
import { type AdminMessages, adminIt } from './admin-it.js';
import type { Lang } from './format.js';

export type { AdminMessages } from './admin-it.js';

export function adminMessages(lang: Lang): AdminMessages {
  return lang === 'en' ? adminEn : adminIt;
}
