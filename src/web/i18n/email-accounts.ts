import { emailAccountsEn } from './email-accounts-en.js';
import { type EmailAccountMessages, emailAccountsIt } from './email-accounts-it.js';
import type { Lang } from './format.js';

export type { EmailAccountMessages } from './email-accounts-it.js';

export function emailAccountMessages(lang: Lang): EmailAccountMessages {
  return lang === 'en' ? emailAccountsEn : emailAccountsIt;
}
