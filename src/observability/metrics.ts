import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric the panel exports, in one registry of its own (not prom-client's global one, so
 * nothing a dependency registers leaks into /metrics). Code records into the objects below;
 * the few figures that are cheaper to read than to track (orders by status, the pool) are
 * collected when /metrics is scraped (src/observability/collect-metrics.ts).
 *
 * Labels are closed sets: an API action outside the contract's list is `other`, a status code
 * is its number, so no client can grow the series without bound.
 */
export const metricsRegistry = new Registry();

const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const httpRequests = new Counter({
  name: 'inspiria_http_requests_total',
  help: 'HTTP requests answered, by API action (web for pages, other for anything else) and status code.',
  labelNames: ['action', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'inspiria_http_request_duration_seconds',
  help: 'Time from the request to its answer, by API action and status code.',
  labelNames: ['action', 'status'] as const,
  buckets: LATENCY_BUCKETS_S,
  registers: [metricsRegistry],
});

export const ordersByStatus = new Gauge({
  name: 'inspiria_orders',
  help: 'Orders stored, by status (read from the database when scraped).',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

export const workerRounds = new Counter({
  name: 'inspiria_worker_rounds_total',
  help: 'Claim rounds run by the fulfilment worker in this process.',
  registers: [metricsRegistry],
});

export const workerClaimedOrders = new Counter({
  name: 'inspiria_worker_claimed_orders_total',
  help: 'Orders claimed (leased) by the worker in this process.',
  registers: [metricsRegistry],
});

export const workerLag = new Gauge({
  name: 'inspiria_worker_lag_seconds',
  help: 'How late the last claimed batch ran: now minus the earliest due time among its orders (0 when nothing was due).',
  registers: [metricsRegistry],
});

export const workerLastRound = new Gauge({
  name: 'inspiria_worker_last_round_timestamp_seconds',
  help: 'When the worker in this process last finished a round (Unix time).',
  registers: [metricsRegistry],
});

export const purgedRows = new Counter({
  name: 'inspiria_purged_rows_total',
  help: 'Expired rows deleted by the worker, by table.',
  labelNames: ['table'] as const,
  registers: [metricsRegistry],
});

export const upstreamCalls = new Counter({
  name: 'inspiria_upstream_calls_total',
  help: 'Calls to upstream providers, by provider host, API action and outcome (ok or the failure reason).',
  labelNames: ['provider', 'action', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const upstreamCallDuration = new Histogram({
  name: 'inspiria_upstream_call_duration_seconds',
  help: 'Time of a call to an upstream provider, by provider host and API action.',
  labelNames: ['provider', 'action'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

export const rateLimitRefusals = new Counter({
  name: 'inspiria_rate_limit_refusals_total',
  help: 'API requests refused 429, by the bucket that was empty (key or address).',
  labelNames: ['scope'] as const,
  registers: [metricsRegistry],
});

export const rateLimitFallbacks = new Counter({
  name: 'inspiria_rate_limit_fallbacks_total',
  help: 'Rate-limit decisions taken by this node alone because Redis did not answer.',
  registers: [metricsRegistry],
});

export const rateLimitRedisUp = new Gauge({
  name: 'inspiria_rate_limit_redis_up',
  help: '1 while the shared (Redis) rate limiter answers; 0 while this node falls back to its own, or without REDIS_URL.',
  registers: [metricsRegistry],
});

export const dbPoolConnections = new Gauge({
  name: 'inspiria_db_pool_connections',
  help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one (read when scraped).',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
});

export const groupCommitBatchSize = new Histogram({
  name: 'inspiria_group_commit_batch_size',
  help: 'Writes committed together by one group commit.',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128],
  registers: [metricsRegistry],
});

/**
 * The API key cache: its lookups answered from memory (`hit`) or from the database (`miss`),
 * since the node started. Hit rate = rate(hit) / rate(hit + miss). Set at scrape time from the
 * node's own counts (collect-metrics.ts).
 */
export const keyCacheLookups = new Counter({
  name: 'inspiria_key_cache_lookups_total',
  help: 'API key lookups answered from the in-process cache (hit) or the database (miss).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

/**
 * `status` batches answered as this node kept them since the last poll (`hit`: only the key and
 * the account's stamp were read) or read from the orders (`miss`), since the node started.
 */
export const statusAnswersKept = new Counter({
  name: 'inspiria_status_answers_kept_total',
  help: 'Status batches answered as kept since the last poll (hit) or read from the orders (miss).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});
