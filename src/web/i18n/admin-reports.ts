import { adminReportsEn } from './admin-reports-en.js';
import { type AdminReportsMessages, adminReportsIt } from './admin-reports-it.js';
import type { Lang } from './format.js';

export type { AdminReportsMessages } from './admin-reports-it.js';

export function adminReportsMessages(lang: Lang): AdminReportsMessages {
  return lang === 'en' ? adminReportsEn : adminReportsIt;
}
