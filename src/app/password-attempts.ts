import {
  type AttemptCounts,
  type AttemptKey,
  countRecentAttempts,
  deleteAttemptsOfPair,
  insertAttempt,
  lockAttemptKeys,
} from '../storage/password-attempts-repository.js';
import type { AppContext } from './context.js';

/**
 * Throttling of password guesses, shared by the log-in form and the current-password check of
 * the change-password form (one budget per account: both guess the same password).
 *
 * A guess is reserved (a row written, in a transaction that counts the window first and is
 * serialised with every other reservation for the same account or address) before argon2
 * runs, so N guesses sent at once cost at most the limit. A right password removes the
 * reservations of its (account, address) pair; a wrong one leaves its row to count.
 *
 * Limits, each over the last 15 minutes:
 * - 5 guesses per account from one address: slows a guesser without locking out the owner
 *   elsewhere (anyone could lock any account, the admin included, with a per-account lock);
 * - 20 guesses per address on any accounts;
 * - 50 guesses per account from all addresses. Past it, an address that has not guessed yet
 *   gets a single guess, so the owner typing the right password on a new device still gets
 *   in while a botnet gets one guess per address instead of five. An account with a second
 *   factor skips this limit for its password (a right password alone opens nothing, it only
 *   leads to the code page), and its codes have a budget of their own under the same three
 *   limits (check-second-factor.ts): past it the owner, with the password and a code, still
 *   gets in; a guesser without both does not.
 */
export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
export const MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS = 5;
export const MAX_ATTEMPTS_PER_ADDRESS = 20;
export const MAX_ATTEMPTS_PER_ACCOUNT = 50;

export function isAttemptAllowed(
  counts: AttemptCounts,
  options: { hasSecondFactor?: boolean } = {},
): boolean {
  if (counts.byAddress >= MAX_ATTEMPTS_PER_ADDRESS) return false;
  if (counts.byPair >= MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS) return false;
  if (options.hasSecondFactor) return true;
  return counts.byAccount < MAX_ATTEMPTS_PER_ACCOUNT || counts.byPair === 0;
}

/**
 * Reserves one guess at `email`'s password from `ip`: false when a limit forbids checking it.
 * `hasSecondFactor`: the password of an account whose sign-in also needs a code.
 */
export async function reservePasswordAttempt(
  ctx: AppContext,
  key: AttemptKey,
  options: { hasSecondFactor?: boolean } = {},
): Promise<boolean> {
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await lockAttemptKeys(trx, ctx.kind, key);
    const counts = await countRecentAttempts(trx, { ...key, sinceMs: nowMs - ATTEMPT_WINDOW_MS });
    if (!isAttemptAllowed(counts, options)) return false;
    await insertAttempt(trx, { ...key, createdAt: nowMs });
    return true;
  });
}

/**
 * After the check: a right password forgives the pair's guesses; a wrong one stays counted.
 * Guesses older than the window no longer count (countRecentAttempts) and the worker deletes
 * them in batches (purge-expired-records.ts), so a wrong guess deletes nothing of anyone else's.
 */
export async function settlePasswordAttempt(
  ctx: AppContext,
  key: AttemptKey & { isRight: boolean },
): Promise<void> {
  if (key.isRight) await deleteAttemptsOfPair(ctx.db, key);
}
