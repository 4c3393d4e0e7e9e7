import type { Counter } from 'prom-client';
import type { AppContext } from '../app/context.js';
import { readOrderStatusCounts } from '../storage/business-summaries-repository.js';
import type { PoolUse } from '../storage/connection.js';
import {
  dbPoolConnections,
  keyCacheLookups,
  metricsRegistry,
  ordersByStatus,
  statusAnswersKept,
} from './metrics.js';

/**
 * Orders are counted from the maintained counts (migration 017) and the deltas not yet folded:
 * cheap, but several Prometheus servers scraping every few seconds still share one count.
 */
const ORDER_COUNT_MAX_AGE_MS = 15_000;

export interface MetricsSource {
  readonly ctx: AppContext;
  readonly poolUse?: (() => PoolUse) | undefined;
}

let lastOrderCount: { atMs: number; ctx: AppContext } | undefined;

async function refreshOrderCounts(ctx: AppContext): Promise<void> {
  const nowMs = Date.now();
  if (lastOrderCount?.ctx === ctx && nowMs - lastOrderCount.atMs < ORDER_COUNT_MAX_AGE_MS) return;
  const counts = await readOrderStatusCounts(ctx.db);
  ordersByStatus.reset();
  for (const [status, count] of counts) ordersByStatus.set({ status }, count);
  lastOrderCount = { atMs: nowMs, ctx };
}

/** A hit-or-miss counter set to the node's own counts: the caches count in plain numbers, not here. */
function setLookups(
  counter: Counter<'result'>,
  stats: { readonly hits: number; readonly misses: number },
): void {
  counter.reset();
  counter.inc({ result: 'hit' }, stats.hits);
  counter.inc({ result: 'miss' }, stats.misses);
}

/** The /metrics text: what is read at scrape time is read first, then everything is written out. */
export async function renderMetrics(source: MetricsSource): Promise<{ contentType: string; text: string }> {
  await refreshOrderCounts(source.ctx);
  setLookups(keyCacheLookups, source.ctx.apiKeys.stats);
  setLookups(statusAnswersKept, source.ctx.apiReads.statusAnswers.stats);
  const pool = source.poolUse?.();
  if (pool) {
    dbPoolConnections.set({ state: 'total' }, pool.total);
    dbPoolConnections.set({ state: 'idle' }, pool.idle);
    dbPoolConnections.set({ state: 'waiting' }, pool.waiting);
  }
  return { contentType: metricsRegistry.contentType, text: await metricsRegistry.metrics() };
}
