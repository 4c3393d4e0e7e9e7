import { DomainError } from '../domain/errors.js';
import { hashApiKey } from './api-key-secrets.js';
import { type ApiCaller, callerOf } from './authenticate-api-key.js';
import type { AppContext } from './context.js';

/**
 * contract §12 and §2: the balance of the key's account, read afresh (never cached) by the
 * statement that also checks the key, so a key revoked or an account suspended on any node is
 * refused here by the very next request.
 */
export async function getKeyBalance(
  ctx: AppContext,
  options: { key: string | undefined },
): Promise<{ caller: ApiCaller; balanceUnits: number }> {
  if (!options.key) throw new DomainError('unauthorized');
  const keyHash = hashApiKey(options.key);
  const account = await ctx.apiReads.balanceByKey(keyHash);
  const caller = callerOf(ctx, keyHash, account);
  return { caller, balanceUnits: account?.balance_units ?? 0 };
}
