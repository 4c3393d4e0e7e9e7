import type { DetailsOf, ErrorCode, Refusal } from '../../domain/errors.js';
import type { Lang } from './format.js';
import { REFUSALS_EN } from './refusals-en.js';
import { REFUSALS_IT } from './refusals-it.js';

/**
 * Each refusal's sentence in one language. A mapped type rather than a loose record: a code
 * added to `ERROR_CODES` without its sentence here is a compile error, in each language.
 */
export type RefusalTexts = { readonly [C in ErrorCode]: (details: DetailsOf<C>) => string };

const TEXTS: Readonly<Record<Lang, RefusalTexts>> = { it: REFUSALS_IT, en: REFUSALS_EN };

/**
 * The one place where the web words a refusal, in the page's language and number format. The
 * API's English texts (http/api-errors.ts) never reach a page.
 */
export function refusalText<C extends ErrorCode>(code: C, details: DetailsOf<C>, lang: Lang): string {
  const text: (details: DetailsOf<C>) => string = TEXTS[lang][code];
  return text(details);
}

/** `refusalText` for a refusal held as one value (a DomainError's `refusal`, a cancel outcome). */
export function refusalSentence(refusal: Refusal, lang: Lang): string {
  return refusalText(refusal.code, refusal.details as DetailsOf<typeof refusal.code>, lang);
}
