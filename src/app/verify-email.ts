import { markEmailVerified } from '../storage/accounts-repository.js';
import { consumeAccountToken } from './account-tokens.js';
import type { AppContext } from './context.js';

/** The link of the verification mail: true when it proved the address (once). */
export async function verifyEmail(ctx: AppContext, options: { token: string }): Promise<boolean> {
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const accountId = await consumeAccountToken(trx, {
      purpose: 'verify_email',
      token: options.token,
      nowMs,
    });
    if (accountId === undefined) return false;
    await markEmailVerified(trx, accountId, nowMs);
    return true;
  });
}
