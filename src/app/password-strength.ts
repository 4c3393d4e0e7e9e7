import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

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
  return await judge.run(password, inputs);
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

/** Plain CommonJS, so the same text runs beside the compiled panel and the TypeScript tests. */
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
parentPort.on('message', ({ id, password, inputs }) => {
  const result = zxcvbn(password, inputs);
  parentPort.postMessage({
    id,
    strength: { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions },
  });
});`;

interface Pending {
  resolve: (strength: PasswordStrength) => void;
  reject: (error: Error) => void;
}

class IdleWorkerJudge {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  run(password: string, inputs: string[]): Promise<PasswordStrength> {
    const worker = this.started();
    clearTimeout(this.idleTimer);
    // Held while a password is being judged: the process waits for the answer.
    worker.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, inputs });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: PACKAGES });
    worker.on('message', ({ id, strength }: { id: number; strength: PasswordStrength }) => {
      this.pending.get(id)?.resolve(strength);
      this.pending.delete(id);
      if (this.pending.size === 0) this.endWhenIdle(worker);
    });
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', () => this.fail(worker, new Error('the password judge stopped')));
    this.worker = worker;
    return worker;
  }

  private endWhenIdle(worker: Worker): void {
    // Idle, it is never what keeps a process (a CLI command, a test) from ending.
    worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker === worker && this.pending.size === 0) {
        this.worker = undefined;
        void worker.terminate();
      }
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

const judge = new IdleWorkerJudge();
