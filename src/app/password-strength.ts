import type { zxcvbn as Zxcvbn } from '@zxcvbn-ts/core';

/** A score of 3 is "safely unguessable": about 10^8 guesses or more (zxcvbn's own scale). */
export const MIN_PASSWORD_SCORE = 3;

let judge: Promise<typeof Zxcvbn> | undefined;

/**
 * The dictionaries are large (tens of MB of heap): imported on the first password judged, not
 * when the panel starts, so an API node that never judges one never holds them.
 */
function loadJudge(): Promise<typeof Zxcvbn> {
  judge ??= (async () => {
    const [{ zxcvbn, zxcvbnOptions }, common, english, italian] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
      import('@zxcvbn-ts/language-it'),
    ]);
    zxcvbnOptions.setOptions({
      dictionary: { ...common.dictionary, ...english.dictionary, ...italian.dictionary },
      graphs: common.adjacencyGraphs,
      // No translations: the feedback comes back as keys, worded per page by the web's i18n.
    });
    return zxcvbn;
  })();
  return judge;
}

export interface PasswordStrength {
  score: number;
  /** zxcvbn's warning key (`topTen`, `userInputs`...), or null. */
  warning: string | null;
  /** zxcvbn's suggestion keys (`anotherWord`, `repeated`...). */
  suggestions: string[];
}

/** How guessable `password` is, knowing the words an attacker would try first (the email). */
export async function judgePasswordStrength(
  password: string,
  userInputs: readonly string[],
): Promise<PasswordStrength> {
  const zxcvbn = await loadJudge();
  const inputs = userInputs
    .flatMap((input) => [input, ...input.split(/[@.+_-]/)])
    .filter((w) => w.length >= 3);
  const result = zxcvbn(password, inputs);
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
