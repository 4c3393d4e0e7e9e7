import { createRequire } from 'node:module';
import { IdleThread } from '../storage/idle-thread.js';

/** A score of 3 is "safely unguessable": about 10^8 guesses or more (zxcvbn's own scale). */
export const MIN_PASSWORD_SCORE = 3;

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
  const inputs = userInputs
    .flatMap((input) => [input, ...input.split(/[@.+_-]/)])
    .filter((w) => w.length >= 3);
  return await judge.ask({ password, inputs });
}

/**
 * The dictionaries are large: loaded, they held 14 MB of the heap and ~40 MB of a node's
 * resident memory for as long as it ran, a node that had judged one password (a sign-up, a
 * password change) carrying them through all its API traffic after. They live in a worker
 * thread instead, started on the first password judged and ended after IDLE_MS without one;
 * the process gets most of the memory back (tried: 44 MB at start, 98 with the worker, 58 after;
 * the bench's PostgreSQL API node at 100,000 orders: 164 MB while it lived, 127 once it ended).
 * The cost is the load, ~250 ms on another thread, for the first password after an idle spell.
 */
const IDLE_MS = 10_000;

/** Each package's CommonJS entry, resolved here, where node_modules is known to be. */
const resolve = createRequire(import.meta.url).resolve;
const PACKAGES = {
  core: resolve('@zxcvbn-ts/core'),
  common: resolve('@zxcvbn-ts/language-common'),
  english: resolve('@zxcvbn-ts/language-en'),
  italian: resolve('@zxcvbn-ts/language-it'),
};

/** The thread's CommonJS (idle-thread.ts). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { zxcvbn, zxcvbnOptions } = require(workerData.core);
const common = require(workerData.common);
const english = require(workerData.english);
const italian = require(workerData.italian);
zxcvbnOptions.setOptions({
  dictionary: { ...common.dictionary, ...english.dictionary, ...italian.dictionary },
  graphs: common.adjacencyGraphs,
  // No translations: the feedback comes back as keys, worded per page by the web's i18n.
});
parentPort.on('message', (m) => {
  if (m === 'close') return parentPort.close();
  const result = zxcvbn(m.request.password, m.request.inputs);
  parentPort.postMessage({
    id: m.id,
    reply: { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions },
  });
});`;

const judge = new IdleThread<{ password: string; inputs: string[] }, PasswordStrength>({
  name: 'the password judge',
  source: WORKER_SOURCE,
  workerData: PACKAGES,
  idleMs: IDLE_MS,
});
