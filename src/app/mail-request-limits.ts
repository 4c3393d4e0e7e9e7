import {
  countRecentMailRequests,
  deleteOldMailRequests,
  insertMailRequest,
  lockMailRequestKeys,
  type MailRequestKey,
} from '../storage/mail-requests-repository.js';
import type { AppContext } from './context.js';

/**
 * Rate limits of the forms that send a mail (sign-up, resend the verification, password reset,
 * sign-in link), per kind over the last hour: a few per address so nobody floods one inbox,
 * more per IP address so one machine cannot spray many inboxes (or hash passwords all day).
 * Reserved in a transaction serialised per email and per IP before any work, so parallel
 * requests cannot all pass one count.
 */
export const MAIL_REQUEST_WINDOW_MS = 60 * 60 * 1000;
export const MAX_MAIL_REQUESTS_PER_EMAIL = 3;
export const MAX_MAIL_REQUESTS_PER_ADDRESS = 10;

export type MailRequestKind = 'signup' | 'verify' | 'reset' | 'sign_in';

/** True when the request may go ahead (and now counts); false past a limit. */
export async function reserveMailRequest(
  ctx: AppContext,
  key: MailRequestKey & { kind: MailRequestKind },
): Promise<boolean> {
  const nowMs = ctx.clock.now();
  const allowed = await ctx.db.transaction().execute(async (trx) => {
    await lockMailRequestKeys(trx, ctx.kind, key);
    const counts = await countRecentMailRequests(trx, { ...key, sinceMs: nowMs - MAIL_REQUEST_WINDOW_MS });
    if (counts.byEmail >= MAX_MAIL_REQUESTS_PER_EMAIL || counts.byAddress >= MAX_MAIL_REQUESTS_PER_ADDRESS) {
      return false;
    }
    await insertMailRequest(trx, { ...key, nowMs });
    return true;
  });
  if (allowed) await deleteOldMailRequests(ctx.db, nowMs - MAIL_REQUEST_WINDOW_MS);
  return allowed;
}
