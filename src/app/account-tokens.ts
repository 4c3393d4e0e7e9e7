import { createHash, randomBytes } from 'node:crypto';
import {
  expireAccountTokens,
  insertAccountToken,
  isAccountTokenUsable,
  useAccountToken,
} from '../storage/account-tokens-repository.js';
import type { AccountTokenPurpose, Executor } from '../storage/schema.js';

/** How long each emailed link works. */
export const TOKEN_TTL_MS: Readonly<Record<AccountTokenPurpose, number>> = {
  verify_email: 48 * 60 * 60 * 1000,
  reset_password: 30 * 60 * 1000,
  sign_in: 15 * 60 * 1000,
};

/** 256 random bits: a fast hash is enough to store it, nobody can guess one to test offline. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new single-use token for the account; earlier ones of the same purpose stop working. */
export async function issueAccountToken(
  trx: Executor,
  options: { accountId: number; purpose: AccountTokenPurpose; nowMs: number },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await expireAccountTokens(trx, options);
  await insertAccountToken(trx, {
    ...options,
    tokenHash: hashToken(token),
    expiresAt: options.nowMs + TOKEN_TTL_MS[options.purpose],
  });
  return token;
}

/** The account the token was for, using it up; undefined when unknown, used or expired. */
export function consumeAccountToken(
  trx: Executor,
  options: { purpose: AccountTokenPurpose; token: string; nowMs: number },
): Promise<number | undefined> {
  if (options.token.length === 0 || options.token.length > 100) return Promise.resolve(undefined);
  return useAccountToken(trx, { ...options, tokenHash: hashToken(options.token) });
}

export function isAccountTokenValid(
  db: Executor,
  options: { purpose: AccountTokenPurpose; token: string; nowMs: number },
): Promise<boolean> {
  if (options.token.length === 0 || options.token.length > 100) return Promise.resolve(false);
  return isAccountTokenUsable(db, { ...options, tokenHash: hashToken(options.token) });
}
