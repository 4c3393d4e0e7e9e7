import { createHash, randomBytes } from 'node:crypto';

/** Session lifetime: a week, ended early by log-out or a password change elsewhere. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens carry 256 random bits, so a fast hash is the right store (as for API keys). */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
