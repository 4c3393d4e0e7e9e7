import { listProvidersDueForSync } from '../storage/providers-repository.js';
import type { AppContext } from './context.js';
import { type SyncOutcome, syncProvider } from './sync-provider.js';

/** Every provider whose last sync is older than the interval, one after the other. */
export async function syncDueProviders(
  ctx: AppContext,
  options: { owner: string; intervalMs: number; leaseMs: number; timeoutMs: number },
): Promise<SyncOutcome[]> {
  const due = await listProvidersDueForSync(ctx.db, {
    nowMs: ctx.clock.now(),
    intervalMs: options.intervalMs,
  });
  const outcomes: SyncOutcome[] = [];
  for (const provider of due) outcomes.push(await syncProvider(ctx, { ...options, provider }));
  return outcomes;
}
