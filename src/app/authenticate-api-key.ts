import type { ApiProfile } from '../domain/api-profile.js';
import { DomainError } from '../domain/errors.js';
import { findAccountByActiveKeyHash } from '../storage/accounts-repository.js';
import { hashApiKey } from './api-key-secrets.js';
import type { AppContext } from './context.js';

export interface ApiCaller {
  readonly accountId: number;
  readonly balanceUnits: number;
  /** contract §13: how the answers are worded for this caller. */
  readonly profile: ApiProfile;
}

/** contract §2: a missing, unknown or revoked key is unauthorized; a suspended account is refused. */
export async function authenticateApiKey(
  ctx: AppContext,
  options: { key: string | undefined },
): Promise<ApiCaller> {
  if (!options.key) throw new DomainError('unauthorized');
  const account = await findAccountByActiveKeyHash(ctx.db, hashApiKey(options.key));
  if (!account) throw new DomainError('unauthorized');
  if (account.status !== 'active') throw new DomainError('account_suspended');
  return { accountId: account.id, balanceUnits: account.balance_units, profile: account.api_profile };
}
