import type { AccountRole, AccountRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { type StartedSession, startWebSession } from './start-web-session.js';

/** A sign-in that went through, after a password alone or a password and a second factor. */
export interface SignedIn {
  ok: true;
  accountId: number;
  session: StartedSession;
  role: AccountRole;
  /** Suspended by an operator: signed in to reach the support desk, and nothing else. */
  isSuspended: boolean;
  /** Suspended by the panel for an amount owed: signed in to settle it. */
  owesMoney: boolean;
}

/** Starts the session of an account whose owner has proven who they are. */
export async function signInAccount(
  ctx: AppContext,
  account: Pick<AccountRow, 'id' | 'role' | 'status' | 'is_suspended_for_outstanding'>,
  device: { ip: string; userAgent?: string | undefined },
): Promise<SignedIn> {
  const session = await startWebSession(ctx, {
    accountId: account.id,
    ip: device.ip,
    ...(device.userAgent !== undefined ? { userAgent: device.userAgent } : {}),
  });
  // The web's guards keep every page but the desk (or the funds page) shut for these two.
  const owesMoney = account.is_suspended_for_outstanding === 1;
  return {
    ok: true,
    accountId: account.id,
    session,
    role: account.role,
    isSuspended: account.status !== 'active' && !owesMoney,
    owesMoney,
  };
}
