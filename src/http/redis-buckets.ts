import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { rateLimitFallbacks, rateLimitRedisUp } from '../observability/metrics.js';
import type { BucketSettings, SharedBuckets } from './rate-limit.js';

/**
 * One token bucket, read and written in one atomic step on the Redis server, so two nodes
 * spending the same bucket at once cannot both take its last token. A negative cost gives
 * tokens back. Time is the caller's clock (as for leases, nodes' clocks are assumed to agree);
 * a clock behind the bucket's last update counts as no time passed. The bucket expires once
 * it would have refilled, so idle keys cost Redis nothing.
 * Returns 0 when the token was taken, else the whole seconds until one is due.
 */
const TOKEN_BUCKET_LUA = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate / 1000)
local wait = 0
if cost <= tokens then
  tokens = math.min(burst, tokens - cost)
else
  wait = math.max(1, math.ceil((cost - tokens) / rate))
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(math.max(now, updated)))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
`;

type BucketRedis = Redis & {
  takeToken(key: string, perSecond: number, burst: number, nowMs: number, cost: number): Promise<number>;
};

export interface RedisBucketsOptions {
  readonly url: string;
  readonly logger: FastifyBaseLogger;
  /** Namespaces the buckets: several panels (or test runs) may share one Redis. */
  readonly keyPrefix?: string;
  /** A command not answered within this is given up: the node decides alone (default 100 ms). */
  readonly commandTimeoutMs?: number;
}

/**
 * The API rate limits shared by every node through Redis. Redis is never waited for: commands
 * are not queued while it is disconnected (they fail at once), each has a short timeout, and
 * a failed one makes this node decide alone (src/http/rate-limit.ts keeps its own buckets for
 * that). Each switch between shared and alone is logged once and shown in /metrics.
 */
export class RedisBuckets implements SharedBuckets {
  private readonly redis: BucketRedis;
  private isUp = true;

  constructor(private readonly options: RedisBucketsOptions) {
    this.redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix ?? 'inspiria:rate:',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 100,
      connectTimeout: 1_000,
      // Reconnects for ever, at most every 2 s; meanwhile the node limits alone.
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    }) as BucketRedis;
    this.redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    // Without a listener an unreachable Redis would be an uncaught error; the failed commands
    // already say so, once, through markDown.
    this.redis.on('error', () => {});
    rateLimitRedisUp.set(1);
  }

  async take(name: string, settings: BucketSettings, nowMs: number): Promise<number | undefined> {
    return this.run(name, settings, nowMs, 1);
  }

  async refund(name: string, settings: BucketSettings, nowMs: number): Promise<void> {
    await this.run(name, settings, nowMs, -1);
  }

  /**
   * Resolves true once connected, or false after `timeoutMs`: at start a node waits this long
   * at most, so its first requests are limited with the others', and starts either way.
   */
  waitUntilConnected(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      this.redis.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async run(name: string, settings: BucketSettings, nowMs: number, cost: number) {
    try {
      const wait = await this.redis.takeToken(name, settings.perSecond, settings.burst, nowMs, cost);
      this.markUp();
      return Number(wait);
    } catch (error) {
      this.markDown(error);
      return undefined;
    }
  }

  private markUp(): void {
    if (this.isUp) return;
    this.isUp = true;
    rateLimitRedisUp.set(1);
    this.options.logger.info('rate limits are shared through Redis again');
  }

  private markDown(error: unknown): void {
    rateLimitFallbacks.inc();
    if (!this.isUp) return;
    this.isUp = false;
    rateLimitRedisUp.set(0);
    this.options.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'Redis does not answer: this node applies its own rate limits until it does',
    );
  }
}
