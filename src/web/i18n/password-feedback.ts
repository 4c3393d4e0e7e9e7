// The translations alone: each package's index also loads its dictionaries (megabytes of heap),
// which only the strength check needs, on the first password it judges (app/password-strength.ts).
import english from '@zxcvbn-ts/language-en/dist/translations.js';
import italian from '@zxcvbn-ts/language-it/dist/translations.js';
import type { Lang } from './format.js';

interface FeedbackWords {
  readonly warnings: Readonly<Record<string, string>>;
  readonly suggestions: Readonly<Record<string, string>>;
}

/**
 * The strength checker's own translations of its feedback keys, one set per language. Each file
 * is CommonJS (`module.exports = translations`), which Node hands over as the default import;
 * its typings declare an ES default export instead, hence the cast (password-feedback.test.ts).
 */
const WORDS: Readonly<Record<Lang, FeedbackWords>> = {
  it: italian as unknown as FeedbackWords,
  en: english as unknown as FeedbackWords,
};

const OPENING: Readonly<Record<Lang, string>> = {
  it: 'Questa password è troppo facile da indovinare.',
  en: 'This password is too easy to guess.',
};

const FALLBACK_ADVICE: Readonly<Record<Lang, string>> = {
  it: 'Usa più parole poco comuni, o una frase che solo tu conosci.',
  en: 'Use more uncommon words, or a phrase only you know.',
};

/**
 * Why a password was refused, in the page's language: a fixed opening, then the checker's
 * warning and suggestions in that language (keys it does not know are left out).
 */
export function weakPasswordText(
  lang: Lang,
  feedback: { warning: string | null; suggestions: readonly string[] },
): string {
  const words = WORDS[lang];
  const warning = feedback.warning ? words.warnings[feedback.warning] : undefined;
  const advice = feedback.suggestions.flatMap((key) => words.suggestions[key] ?? []);
  const parts = [OPENING[lang], warning, ...(advice.length > 0 ? advice : [FALLBACK_ADVICE[lang]])];
  return parts.filter((part) => part !== undefined).join(' ');
}
