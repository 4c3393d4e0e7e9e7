import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import * as italian from '@zxcvbn-ts/language-it';

/** A score of 3 is "safely unguessable": about 10^8 guesses or more (zxcvbn's own scale). */
export const MIN_PASSWORD_SCORE = 3;

let isLoaded = false;

/** The dictionaries are large: loaded on the first password judged, not when the panel starts. */
function loadDictionaries(): void {
  if (isLoaded) return;
  zxcvbnOptions.setOptions({
    dictionary: { ...common.dictionary, ...english.dictionary, ...italian.dictionary },
    graphs: common.adjacencyGraphs,
    // No translations: the feedback comes back as keys, worded per page by the web's i18n.
  });
  isLoaded = true;
}

export interface PasswordStrength {
  score: number;
  /** zxcvbn's warning key (`topTen`, `userInputs`...), or null. */
  warning: string | null;
  /** zxcvbn's suggestion keys (`anotherWord`, `repeated`...). */
  suggestions: string[];
}

/** How guessable `password` is, knowing the words an attacker would try first (the email). */
export function judgePasswordStrength(password: string, userInputs: readonly string[]): PasswordStrength {
  loadDictionaries();
  const inputs = userInputs
    .flatMap((input) => [input, ...input.split(/[@.+_-]/)])
    .filter((w) => w.length >= 3);
  const result = zxcvbn(password, inputs);
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
