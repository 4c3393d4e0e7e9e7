import { deleteExpiredSessions, insertSession } from '../storage/sessions-repository.js';
import type { AppContext } from './context.js';
import { hashSessionToken, newSecretToken, SESSION_TTL_MS } from './web-session-tokens.js';

export interface StartedSession {
  /** Goes in the cookie; never stored. */
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** A fresh session (new token, new CSRF token) for an account that just proved who it is. */
export async function startWebSession(
  ctx: AppContext,
  options: { accountId: number },
): Promise<StartedSession> {
  const nowMs = ctx.clock.now();
  const token = newSecretToken();
  const csrfToken = newSecretToken();
  const expiresAt = nowMs + SESSION_TTL_MS;
  await deleteExpiredSessions(ctx.db, nowMs);
  await insertSession(ctx.db, {
    tokenHash: hashSessionToken(token),
    accountId: options.accountId,
    csrfToken,
    createdAt: nowMs,
    expiresAt,
  });
  return { token, csrfToken, expiresAt };
}
