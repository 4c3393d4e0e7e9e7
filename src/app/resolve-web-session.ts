import { findAccountById } from '../storage/accounts-repository.js';
import type { AccountRole, AccountStatus } from '../storage/schema.js';
import { deleteSession, findSession, touchSession } from '../storage/sessions-repository.js';
import { isTwoFactorEnabled } from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';
import { hashSessionToken, SESSION_IDLE_MS, SESSION_TOUCH_INTERVAL_MS } from './web-session-tokens.js';

export interface WebSession {
  tokenHash: string;
  csrfToken: string;
  account: {
    id: number;
    email: string;
    role: AccountRole;
    status: AccountStatus;
    /** Suspended by the panel for an amount owed (not by an operator): may still pay. */
    owesMoney: boolean;
    /** Signs in with a second factor; an admin without one is sent to set it up. */
    hasTwoFactor: boolean;
    /** Until the owner follows the verification link: no orders, no API key. */
    isEmailVerified: boolean;
  };
}

/**
 * The live session behind a cookie token, or undefined (unknown, expired, unused for 12 hours
 * or logged out). A use is recorded at most once a minute, so reading a page costs no write.
 */
export async function resolveWebSession(
  ctx: AppContext,
  options: { token: string },
): Promise<WebSession | undefined> {
  if (options.token.length === 0 || options.token.length > 100) return undefined;
  const tokenHash = hashSessionToken(options.token);
  const session = await findSession(ctx.db, tokenHash);
  if (!session) return undefined;
  const nowMs = ctx.clock.now();
  const lastSeenMs = Number(session.last_seen_at);
  if (session.expires_at <= nowMs || lastSeenMs + SESSION_IDLE_MS <= nowMs) {
    await deleteSession(ctx.db, tokenHash);
    return undefined;
  }
  if (nowMs - lastSeenMs >= SESSION_TOUCH_INTERVAL_MS) {
    await touchSession(ctx.db, { tokenHash, nowMs, touchedBeforeMs: nowMs - SESSION_TOUCH_INTERVAL_MS });
  }
  const account = await findAccountById(ctx.db, Number(session.account_id));
  if (!account) return undefined;
  return {
    tokenHash,
    csrfToken: session.csrf_token,
    account: {
      id: account.id,
      email: account.email,
      role: account.role,
      status: account.status,
      owesMoney: account.is_suspended_for_outstanding === 1,
      hasTwoFactor: await isTwoFactorEnabled(ctx.db, account.id),
      isEmailVerified: account.email_verified_at !== null,
    },
  };
}
