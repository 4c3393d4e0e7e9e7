/**
 * contract §2 (our addition): a per-API-key token bucket, in memory on each node. A bucket
 * holds up to `burst` requests and refills at `perSecond`; a request finding it empty gets
 * HTTP 429 with Retry-After. Time comes from the injected clock, so tests need no sleeps.
 */
export interface RateLimitSettings {
  readonly perSecond: number;
  readonly burst: number;
}

/** Answered 429 `{"error":"Too many requests"}` with `Retry-After: retryAfterSeconds`. */
export class TooManyRequestsError extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests');
  }
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

// Idle buckets are full ones, and a full bucket is the same as none: dropping them all when the
// map grows this large bounds memory at the cost of briefly forgetting the busiest callers.
const MAX_BUCKETS = 100_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number,
  ) {}

  /** Takes one request's token for `id`: 0 when allowed, else the whole seconds until one is due. */
  take(id: string): number {
    const { perSecond, burst } = this.settings;
    const nowMs = this.now();
    const bucket = this.buckets.get(id);
    const elapsedMs = bucket ? Math.max(0, nowMs - bucket.updatedMs) : 0;
    const tokens = bucket ? Math.min(burst, bucket.tokens + (elapsedMs * perSecond) / 1000) : burst;
    if (!bucket && this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
    if (tokens >= 1) {
      this.buckets.set(id, { tokens: tokens - 1, updatedMs: nowMs });
      return 0;
    }
    this.buckets.set(id, { tokens, updatedMs: nowMs });
    return Math.max(1, Math.ceil((1 - tokens) / perSecond));
  }
}
