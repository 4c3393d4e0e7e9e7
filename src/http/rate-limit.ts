import { hashApiKey } from '../app/api-key-secrets.js';
import { rateLimitRefusals } from '../observability/metrics.js';

/**
 * contract §2 (our addition): a per-API-key token bucket, in memory on each node, or shared by
 * every node through Redis when REDIS_URL is set (src/http/redis-buckets.ts). A bucket
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

export interface BucketSettings {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * Buckets every node shares. Each call answers like TokenBuckets, or undefined when the store
 * did not answer in time: the caller then decides alone, so a lost store never stops the API.
 */
export interface SharedBuckets {
  take(name: string, settings: BucketSettings, nowMs: number): Promise<number | undefined>;
  refund(name: string, settings: BucketSettings, nowMs: number): Promise<void>;
}

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
 * One scope's buckets (keys, or addresses): shared when a store is given, with this node's own
 * buckets deciding whenever the store does not answer. `seen` remembers which ids had a
 * bucket here, which is what "a key already proven on this node" means below.
 */
class ScopedBuckets {
  private readonly local: TokenBuckets;
  private readonly seen = new Map<string, true>();

  constructor(
    private readonly scope: 'key' | 'address',
    private readonly settings: BucketSettings,
    private readonly now: () => number,
    private readonly maxBuckets: number,
    private readonly shared: SharedBuckets | undefined,
  ) {
    this.local = new TokenBuckets(settings, now, maxBuckets);
  }

  has(id: string): boolean {
    return this.shared ? this.seen.has(id) : this.local.has(id);
  }

  async take(id: string): Promise<void> {
    let retryAfterSeconds: number | undefined;
    if (this.shared) {
      this.remember(id);
      retryAfterSeconds = await this.shared.take(`${this.scope}:${id}`, this.settings, this.now());
    }
    retryAfterSeconds ??= this.local.take(id);
    if (retryAfterSeconds > 0) {
      rateLimitRefusals.inc({ scope: this.scope });
      throw new TooManyRequestsError(retryAfterSeconds);
    }
  }

  async refund(id: string): Promise<void> {
    if (this.shared) await this.shared.refund(`${this.scope}:${id}`, this.settings, this.now());
    else this.local.refund(id);
  }

  /** Least recently used forgotten first, as in TokenBuckets. */
  private remember(id: string): void {
    if (this.seen.delete(id) || this.seen.size < this.maxBuckets) {
      this.seen.set(id, true);
      return;
    }
    const leastRecent = this.seen.keys().next();
    if (!leastRecent.done) this.seen.delete(leastRecent.value);
    this.seen.set(id, true);
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
  private readonly keys: ScopedBuckets;
  private readonly addresses: ScopedBuckets | undefined;

  constructor(
    settings: RateLimitSettings,
    now: () => number,
    maxBuckets = MAX_BUCKETS,
    shared: SharedBuckets | undefined = undefined,
  ) {
    this.keys = new ScopedBuckets('key', settings, now, maxBuckets, shared);
    this.addresses =
      settings.perAddress && new ScopedBuckets('address', settings.perAddress, now, maxBuckets, shared);
  }

  /**
   * Before the key lookup; throws TooManyRequestsError. Returns what `authenticated` needs
   * when the key has still to prove itself.
   */
  async admit(key: string | undefined, ip: string): Promise<{ keyHash: string; ip: string } | undefined> {
    // Buckets are keyed by the key's hash: the secret itself is not kept in memory (nor in Redis).
    const keyHash = key === undefined ? undefined : hashApiKey(key);
    if (keyHash !== undefined && (this.keys.has(keyHash) || !this.addresses)) {
      await this.keys.take(keyHash);
      return undefined;
    }
    if (this.addresses) await this.addresses.take(ip);
    return keyHash === undefined ? undefined : { keyHash, ip };
  }

  /** The key admitted by its address proved valid: it spends its own bucket from now on. */
  async authenticated(admitted: { keyHash: string; ip: string }): Promise<void> {
    await this.addresses?.refund(admitted.ip);
    await this.keys.take(admitted.keyHash);
  }
}
