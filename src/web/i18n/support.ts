import type { Lang } from './format.js';
import { supportEn } from './support-en.js';
import { type SupportMessages, supportIt } from './support-it.js';

export type { SupportMessages } from './support-it.js';

export function supportMessages(lang: Lang): SupportMessages {
  return lang === 'en' ? supportEn : supportIt;
}
