import { listAccountSessions } from '../storage/sessions-repository.js';
import type { AppContext } from './context.js';
import { SESSION_IDLE_MS } from './web-session-tokens.js';

/** One signed-in device as its owner sees it: never its token or the token's hash. */
export interface SignedInDevice {
  isCurrent: boolean;
  createdAt: number;
  lastSeenAt: number;
  ip: string | null;
  userAgent: string | null;
}

/** The account's live sessions, the one making the request marked as current. */
export async function listWebSessions(
  ctx: AppContext,
  options: { accountId: number; currentTokenHash: string },
): Promise<SignedInDevice[]> {
  const nowMs = ctx.clock.now();
  const rows = await listAccountSessions(ctx.db, {
    accountId: options.accountId,
    nowMs,
    idleSinceMs: nowMs - SESSION_IDLE_MS,
  });
  return rows.map(({ tokenHash, ...device }) => ({
    ...device,
    isCurrent: tokenHash === options.currentTokenHash,
  }));
}
