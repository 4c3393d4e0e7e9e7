import { type BandTiming, serviceTimings, TIMING_SAMPLE_SIZE } from '../domain/service-timing.js';
import type { ServiceRow } from '../storage/schema.js';
import { latestCompletions } from '../storage/service-timing-queries.js';
import type { AppContext } from './context.js';

/** A figure made of the last hundred orders barely moves in minutes; the catalog is read often. */
const CACHE_MS = 5 * 60 * 1000;

interface CachedTiming {
  timings: BandTiming[];
  computedAtMs: number;
  limitsKey: string;
}

/** One cache per context (one per process in production), so tests with their own context start empty. */
const caches = new WeakMap<AppContext, Map<number, CachedTiming>>();

function cacheOf(ctx: AppContext): Map<number, CachedTiming> {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  return cache;
}

/** The average time per quantity band of each service (issue 11), keyed by service id. */
export async function getServiceTimings(
  ctx: AppContext,
  options: { services: readonly ServiceRow[] },
): Promise<Map<number, BandTiming[]>> {
  const cache = cacheOf(ctx);
  const nowMs = ctx.clock.now();
  const result = new Map<number, BandTiming[]>();
  for (const service of options.services) {
    const limits = { minQuantity: service.min_quantity, maxQuantity: service.max_quantity };
    const limitsKey = `${limits.minQuantity}-${limits.maxQuantity}`;
    const cached = cache.get(service.id);
    if (cached && cached.limitsKey === limitsKey && nowMs - cached.computedAtMs < CACHE_MS) {
      result.set(service.id, cached.timings);
      continue;
    }
    const samples = await latestCompletions(ctx.db, service.id, TIMING_SAMPLE_SIZE);
    const timings = serviceTimings(samples, limits);
    cache.set(service.id, { timings, computedAtMs: nowMs, limitsKey });
    result.set(service.id, timings);
  }
  return result;
}
