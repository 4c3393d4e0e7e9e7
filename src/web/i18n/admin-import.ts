import { adminImportEn } from './admin-import-en.js';
import { type AdminImportMessages, adminImportIt } from './admin-import-it.js';
import type { Lang } from './format.js';

export type { AdminImportMessages } from './admin-import-it.js';

export function adminImportMessages(lang: Lang): AdminImportMessages {
  return lang === 'en' ? adminImportEn : adminImportIt;
}
