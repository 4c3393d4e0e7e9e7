import { performance } from 'node:perf_hooks';
import type { KeyHolder } from '../storage/accounts-repository.js';
import type { ApiKeyChanges } from '../storage/api-key-changes.js';

interface CachedHolder {
  readonly holder: KeyHolder;
  readonly stamp: number;
  readonly expiresAtMs: number;
}

const MAX_ENTRIES = 10_000;
/**
 * The longest a node may act on a lost PostgreSQL notification (the listener's connection
 * dropping is noticed at once; a notification lost while it stays up is not).
 */
export const API_KEY_CACHE_TTL_MS = 5_000;

/**
 * What a key lookup found, by key hash, so that a busy key costs no query per request. An
 * entry is good while the database's change signal (migration 014) still shows the stamp it
 * was read under, and for at most API_KEY_CACHE_TTL_MS: a revoked key, a suspended account or
 * a changed profile is seen by the next request on every node. Unknown keys are not cached
 * (anyone can send a million of them). The balance is not cached: `balance` must be exact, and
 * every order changes it.
 */
export class ApiKeyCache {
  private readonly byKeyHash = new Map<string, CachedHolder>();
  private lastStamp: number | undefined;
  /** Moves on dropAll, so that a lookup in flight then does not keep what it read before. */
  private dropCount = 0;
  /** Lookups answered from memory and from the database, for tests, the bench and metrics. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly changes: ApiKeyChanges) {}

  /**
   * Forgets everything at once: called by this node's own key and account changes after their
   * commit, so that this node never waits for its own notification (PostgreSQL).
   */
  dropAll(): void {
    this.byKeyHash.clear();
    this.dropCount += 1;
  }

  /** Forgets one key: a read that checks keys itself found it revoked, or its account suspended. */
  forget(keyHash: string): void {
    this.byKeyHash.delete(keyHash);
  }

  /** The database's change signal as this node sees it now (tests wait on it on PostgreSQL). */
  changeStamp(): number | undefined {
    return this.changes.stamp();
  }

  async lookup(
    keyHash: string,
    load: (keyHash: string) => Promise<KeyHolder | undefined>,
  ): Promise<KeyHolder | undefined> {
    // Read before the database: a change that commits during the load moves the stamp, so
    // what the load found is never kept under a stamp newer than itself.
    const stamp = await this.changes.freshStamp();
    if (stamp !== this.lastStamp) {
      this.byKeyHash.clear();
      this.lastStamp = stamp;
    }
    // Expiry runs on the process's monotonic clock: it bounds real staleness, not business time.
    const nowMs = performance.now();
    const cached = stamp === undefined ? undefined : this.byKeyHash.get(keyHash);
    if (cached && cached.stamp === stamp && cached.expiresAtMs > nowMs) {
      this.stats.hits += 1;
      return cached.holder;
    }
    this.stats.misses += 1;
    const dropCountBefore = this.dropCount;
    const holder = await load(keyHash);
    if (holder && stamp !== undefined && this.dropCount === dropCountBefore) {
      if (this.byKeyHash.size >= MAX_ENTRIES) this.byKeyHash.clear();
      this.byKeyHash.set(keyHash, { holder, stamp, expiresAtMs: nowMs + API_KEY_CACHE_TTL_MS });
    } else {
      this.byKeyHash.delete(keyHash);
    }
    return holder;
  }
}
