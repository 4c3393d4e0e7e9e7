import type { ApiProfile } from '../domain/api-profile.js';
import { DomainError } from '../domain/errors.js';
import { findAccountByActiveKeyHash } from '../storage/accounts-repository.js';
import { hashApiKey } from './api-key-secrets.js';
import type { AppContext } from './context.js';

export interface ApiCaller {
  readonly accountId: number;
  /** contract §13: how the answers are worded for this caller. */
  readonly profile: ApiProfile;
}

/**
 * contract §2: a missing, unknown or revoked key is unauthorized; a suspended account is
 * refused. The lookup is cached per node (ApiKeyCache), and dropped on every node by the
 * next request after a key or an account's status, role or profile changes.
 */
export async function authenticateApiKey(
  ctx: AppContext,
  options: { key: string | undefined },
): Promise<ApiCaller> {
  if (!options.key) throw new DomainError('unauthorized');
  const account = await ctx.apiKeys.lookup(hashApiKey(options.key), (keyHash) =>
    findAccountByActiveKeyHash(ctx.db, keyHash),
  );
  if (!account) throw new DomainError('unauthorized');
  if (account.status !== 'active') throw new DomainError('account_suspended');
  return { accountId: account.id, profile: account.api_profile };
}
