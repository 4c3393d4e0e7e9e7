import { findAccountById } from '../storage/accounts-repository.js';
import type { AccountRole, AccountStatus } from '../storage/schema.js';
import { deleteSession, findSession } from '../storage/sessions-repository.js';
import type { AppContext } from './context.js';
import { hashSessionToken } from './web-session-tokens.js';

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
  };
}

/** The live session behind a cookie token, or undefined (unknown, expired or logged out). */
export async function resolveWebSession(
  ctx: AppContext,
  options: { token: string },
): Promise<WebSession | undefined> {
  if (options.token.length === 0 || options.token.length > 100) return undefined;
  const tokenHash = hashSessionToken(options.token);
  const session = await findSession(ctx.db, tokenHash);
  if (!session) return undefined;
  if (session.expires_at <= ctx.clock.now()) {
    await deleteSession(ctx.db, tokenHash);
    return undefined;
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
    },
  };
}
