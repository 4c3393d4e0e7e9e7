import { DomainError } from '../domain/errors.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { AppContext } from './context.js';
import { type SyncOutcome, syncProvider } from './sync-provider.js';

/** The admin's "sync now": the same sync the worker runs, under the same lease. */
export async function syncProviderNow(
  ctx: AppContext,
  options: { name: string; owner: string; timeoutMs: number },
): Promise<SyncOutcome> {
  const provider = await findProviderByName(ctx.db, options.name);
  if (!provider) throw new DomainError('provider_not_found', { name: options.name });
  return syncProvider(ctx, {
    provider,
    owner: options.owner,
    leaseMs: 2 * options.timeoutMs + 5_000,
    timeoutMs: options.timeoutMs,
  });
}
