import { deleteExpiredSessions, insertSession } from '../storage/sessions-repository.js';
import type { AppContext } from './context.js';
import {
  hashSessionToken,
  MAX_STORED_USER_AGENT_LENGTH,
  newSecretToken,
  SESSION_IDLE_MS,
  SESSION_TTL_MS,
} from './web-session-tokens.js';

export interface StartedSession {
  /** Goes in the cookie; never stored. */
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/**
 * A fresh session (new token, new CSRF token) for an account that just proved who it is. The
 * address and the user agent are kept only to list the account's devices to its owner.
 */
export async function startWebSession(
  ctx: AppContext,
  options: { accountId: number; ip?: string; userAgent?: string },
): Promise<StartedSession> {
  const nowMs = ctx.clock.now();
  const token = newSecretToken();
  const csrfToken = newSecretToken();
  const expiresAt = nowMs + SESSION_TTL_MS;
  await deleteExpiredSessions(ctx.db, { nowMs, idleSinceMs: nowMs - SESSION_IDLE_MS });
  await insertSession(ctx.db, {
    tokenHash: hashSessionToken(token),
    accountId: options.accountId,
    csrfToken,
    createdAt: nowMs,
    expiresAt,
    ip: options.ip ?? null,
    userAgent: options.userAgent ? options.userAgent.slice(0, MAX_STORED_USER_AGENT_LENGTH) : null,
  });
  return { token, csrfToken, expiresAt };
}
