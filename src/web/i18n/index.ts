import { en } from './en.js';
import type { Lang } from './format.js';
import { it, type Messages } from './it.js';

export type { Lang } from './format.js';
export { DEFAULT_LANG, isLang, LANGS } from './format.js';
export type { Messages } from './it.js';

const ALL: Readonly<Record<Lang, Messages>> = { it, en };

export function messagesFor(lang: Lang): Messages {
  return ALL[lang];
}
