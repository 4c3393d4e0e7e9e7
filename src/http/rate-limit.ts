import { hashApiKey } from '../app/api-key-secrets.js';

/**
 * contract §2 (our addition): a per-API-key token bucket, in memory on each node. A bucket
 * holds up to `burst` requests and refills at `perSecond`; a request finding it empty gets
 * HTTP 429 with Retry-After. Time comes from the injected clock, so tests need no sleeps.
 */
export interface RateLimitSettings {
  readonly perSecond: number;
  readonly burst: number;
  /**
   * Requests with no key or a key not yet proven, per client address; none when absent.
   * Without it, every random key would get a fresh bucket of its own.
   */
  readonly perAddress?: { readonly perSecond: number; readonly burst: number };
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

// A bucket not used for a while has refilled, and a full bucket is the same as none: past this
// many, the least recently used is forgotten (a Map iterates in insertion order, and each use
// re-inserts its bucket), never the busy ones.
const MAX_BUCKETS = 100_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: { readonly perSecond: number; readonly burst: number },
    private readonly now: () => number,
    private readonly maxBuckets = MAX_BUCKETS,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  has(id: string): boolean {
    return this.buckets.has(id);
  }

  /** Gives back a token taken for a request that turned out not to count. */
  refund(id: string): void {
    const bucket = this.buckets.get(id);
    if (bucket) bucket.tokens = Math.min(this.settings.burst, bucket.tokens + 1);
  }

  /** Takes one request's token for `id`: 0 when allowed, else the whole seconds until one is due. */
  take(id: string): number {
    const { perSecond, burst } = this.settings;
    const nowMs = this.now();
    const bucket = this.buckets.get(id);
    const elapsedMs = bucket ? Math.max(0, nowMs - bucket.updatedMs) : 0;
    const tokens = bucket ? Math.min(burst, bucket.tokens + (elapsedMs * perSecond) / 1000) : burst;
    if (bucket) this.buckets.delete(id);
    else if (this.buckets.size >= this.maxBuckets) {
      const leastRecent = this.buckets.keys().next();
      if (!leastRecent.done) this.buckets.delete(leastRecent.value);
    }
    if (tokens >= 1) {
      this.buckets.set(id, { tokens: tokens - 1, updatedMs: nowMs });
      return 0;
    }
    this.buckets.set(id, { tokens, updatedMs: nowMs });
    return Math.max(1, Math.ceil((1 - tokens) / perSecond));
  }
}

/**
 * The /api/v2 limits. A key with a bucket has been proven by a lookup before, and spends only
 * its own bucket (the hot path costs nothing more). Any other request (no key, or a key this
 * node has not seen authenticate) first spends a token of its address's bucket, before the
 * key lookup: a flood of random keys costs one lookup per token, and fills no map. A key that
 * then proves valid gets its token back and a bucket of its own.
 */
export class ApiRateLimiter {
  private readonly keys: TokenBuckets;
  private readonly addresses: TokenBuckets | undefined;

  constructor(settings: RateLimitSettings, now: () => number, maxBuckets = MAX_BUCKETS) {
    this.keys = new TokenBuckets(settings, now, maxBuckets);
    this.addresses = settings.perAddress && new TokenBuckets(settings.perAddress, now, maxBuckets);
  }

  /**
   * Before the key lookup; throws TooManyRequestsError. Returns what `authenticated` needs
   * when the key has still to prove itself.
   */
  admit(key: string | undefined, ip: string): { keyHash: string; ip: string } | undefined {
    // Buckets are keyed by the key's hash: the secret itself is not kept in memory.
    const keyHash = key === undefined ? undefined : hashApiKey(key);
    if (keyHash !== undefined && (this.keys.has(keyHash) || !this.addresses)) {
      throwIfWaiting(this.keys.take(keyHash));
      return undefined;
    }
    if (this.addresses) throwIfWaiting(this.addresses.take(ip));
    return keyHash === undefined ? undefined : { keyHash, ip };
  }

  /** The key admitted by its address proved valid: it spends its own bucket from now on. */
  authenticated(admitted: { keyHash: string; ip: string }): void {
    this.addresses?.refund(admitted.ip);
    throwIfWaiting(this.keys.take(admitted.keyHash));
  }
}

function throwIfWaiting(retryAfterSeconds: number): void {
  if (retryAfterSeconds > 0) throw new TooManyRequestsError(retryAfterSeconds);
}
