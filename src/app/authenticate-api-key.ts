import type { ApiProfile } from '../domain/api-profile.js';
import { DomainError } from '../domain/errors.js';
import { findAccountByActiveKeyHash } from '../storage/accounts-repository.js';
import type { KeyedAccount } from '../storage/api-reads.js';
import { hashApiKey } from './api-key-secrets.js';
import type { AppContext } from './context.js';

export interface ApiCaller {
  readonly accountId: number;
  /** contract §13: how the answers are worded for this caller. */
  readonly profile: ApiProfile;
}

/**
 * contract §2: what a key's account, as read just now, lets it do. A key found unknown or
 * revoked, or its account suspended, is also forgotten by this node's cache.
 */
export function callerOf(ctx: AppContext, keyHash: string, account: KeyedAccount | undefined): ApiCaller {
  if (!account) {
    ctx.apiKeys.forget(keyHash);
    throw new DomainError('unauthorized');
  }
  if (account.status !== 'active') {
    ctx.apiKeys.forget(keyHash);
    throw new DomainError('account_suspended');
  }
  return { accountId: account.id, profile: account.api_profile };
}

/**
 * contract §2: a missing, unknown or revoked key is unauthorized; a suspended account is
 * refused. `balance` and `status` check the key in their own reads (get-key-balance.ts,
 * getOrderStatusesByKey); the other actions come here. On SQLite the lookup is cached per node
 * (ApiKeyCache) and dropped on every node by the next request after a key or an account's
 * status, role or profile changes (each request reads the change stamp). On PostgreSQL another
 * node learns of a change only when its notification arrives, so the key is read afresh on
 * every request (with the reads of other requests in the same turn: one round trip for all),
 * and a regenerated key or a suspension is refused on every node from the next request on.
 */
export async function authenticateApiKey(
  ctx: AppContext,
  options: { key: string | undefined },
): Promise<ApiCaller> {
  if (!options.key) throw new DomainError('unauthorized');
  const keyHash = hashApiKey(options.key);
  if (ctx.apiReads.needsKeyCheck) return callerOf(ctx, keyHash, await ctx.apiReads.keyAccount(keyHash));
  const account = await ctx.apiKeys.lookup(keyHash, (hash) => findAccountByActiveKeyHash(ctx.db, hash));
  if (!account) throw new DomainError('unauthorized');
  if (account.status !== 'active') throw new DomainError('account_suspended');
  return { accountId: account.id, profile: account.api_profile };
}
