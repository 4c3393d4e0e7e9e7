import argon2 from 'argon2';
import type { Refusal } from '../domain/errors.js';
import { judgePasswordStrength, MIN_PASSWORD_SCORE } from './password-strength.js';

/** The work one argon2id hash costs: memory in KiB, passes over it, and lanes. */
export interface PasswordHashCost {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** argon2's own defaults (64 MiB, 3 passes, 4 lanes): what every deployed panel uses. */
export const STANDARD_HASH_COST: PasswordHashCost = Object.freeze({
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 4,
});

/**
 * The least work argon2id accepts, for test runs only: a suite creates and signs in hundreds
 * of accounts, and at the standard cost each hash takes most of a second of a loaded core.
 * The hash format records its cost, so a hash made at either cost verifies under the other.
 */
export const TEST_HASH_COST: PasswordHashCost = Object.freeze({ memoryCost: 8, timeCost: 1, parallelism: 1 });

let hashCost = STANDARD_HASH_COST;

/**
 * Sets the cost of the hashes made from now on, for the whole process: the composition root
 * applies the configured one (see `Config.passwordHashCost`), the test setup the test one.
 */
export function usePasswordHashCost(cost: PasswordHashCost): void {
  hashCost = cost;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...hashCost });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** The shortest new password: with the strength check, long enough for a few words. */
export const MIN_PASSWORD_LENGTH = 10;
/** argon2 accepts any length; a cap keeps one request from costing seconds of CPU. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * The one rule for a new password, wherever it is chosen (sign-up, the CLI, a change, a reset):
 * the refusal to show, or undefined when the password is good. `userInputs` are words an
 * attacker knows (the account's email), which make a password weak.
 */
export async function newPasswordRefusal(
  password: string,
  userInputs: readonly string[] = [],
): Promise<Refusal | undefined> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { code: 'password_too_short', details: { min: MIN_PASSWORD_LENGTH } };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return { code: 'password_too_long', details: { max: MAX_PASSWORD_LENGTH } };
  }
  const strength = await judgePasswordStrength(password, userInputs);
  if (strength.score >= MIN_PASSWORD_SCORE) return undefined;
  return {
    code: 'password_too_weak',
    details: { warning: strength.warning, suggestions: strength.suggestions },
  };
}
