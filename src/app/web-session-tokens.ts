import { createHash, randomBytes } from 'node:crypto';

/** Session lifetime: a week, ended early by log-out or a password change elsewhere. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A session unused this long ends too: a forgotten signed-in browser does not stay open a week. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Last use is written at most this often per session, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;
/** What is kept of a user agent: enough to recognise a browser on the account page. */
export const MAX_STORED_USER_AGENT_LENGTH = 200;

export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens carry 256 random bits, so a fast hash is the right store (as for API keys). */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
