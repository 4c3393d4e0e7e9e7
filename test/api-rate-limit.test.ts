import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { TokenBuckets } from '../src/http/rate-limit.js';
import { callApi, createCustomer, startServer } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

describe('TokenBuckets', () => {
  it('allows a burst, then the rate, and says how long to wait', () => {
    let nowMs = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, () => nowMs);
    expect([1, 2, 3].map(() => buckets.take('a'))).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1);
    expect(buckets.take('b')).toBe(0); // another key has its own bucket
    nowMs += 499;
    expect(buckets.take('a')).toBe(1);
    nowMs += 1;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
    nowMs += 60_000; // refills up to the burst only
    expect([1, 2, 3].map(() => buckets.take('a'))).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1);
  });

  it('forgets the least recently used bucket past its bound, never all at once', () => {
    const nowMs = 0;
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2 }, () => nowMs, 3);
    for (const id of ['a', 'b', 'c']) buckets.take(id);
    buckets.take('a'); // a is now empty and the most recently used
    buckets.take('d'); // b, the least recently used, goes
    expect(buckets.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((id) => buckets.has(id))).toEqual([true, false, true, true]);
    expect(buckets.take('a')).toBe(1); // its state was kept
    for (let i = 0; i < 1_000; i++) buckets.take(`random ${i}`);
    expect(buckets.size).toBe(3);
  });

  it('rounds the wait up to whole seconds for slow rates', () => {
    let nowMs = 0;
    const buckets = new TokenBuckets({ perSecond: 0.25, burst: 1 }, () => nowMs);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(4);
    nowMs += 3_000;
    expect(buckets.take('a')).toBe(1);
  });
});

describe('rate limit configuration', () => {
  it('defaults to 50 per second with a burst of 100; 0 turns it off', () => {
    expect(loadConfig({}).apiRateLimitPerSecond).toBe(50);
    expect(loadConfig({}).apiRateLimitBurst).toBe(100);
    expect(loadConfig({ API_RATE_LIMIT: '0' }).apiRateLimitPerSecond).toBe(0);
    expect(loadConfig({ API_RATE_LIMIT: '5', API_RATE_BURST: '7' })).toMatchObject({
      apiRateLimitPerSecond: 5,
      apiRateLimitBurst: 7,
    });
    expect(() => loadConfig({ API_RATE_LIMIT: '-1' })).toThrow(/API_RATE_LIMIT/);
    expect(() => loadConfig({ API_RATE_BURST: '0' })).toThrow(/API_RATE_BURST/);
    expect(loadConfig({})).toMatchObject({
      apiAnonymousRateLimitPerSecond: 5,
      apiAnonymousRateLimitBurst: 20,
    });
    expect(loadConfig({ API_ANONYMOUS_RATE_LIMIT: '0' }).apiAnonymousRateLimitPerSecond).toBe(0);
  });
});

describeEachDatabase('api v2 rate limit', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const server = await startServer({ ctx: db().ctx, rateLimit: { perSecond: 5, burst: 10 } });
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
  });
  afterAll(() => stop());

  it('answers 429 {"error":"Too many requests"} with Retry-After once a key spends its burst', async () => {
    const customer = await createCustomer(db(), 10_000);
    const other = await createCustomer(db(), 10_000);
    const balance = (key: string, init?: Parameters<typeof callApi>[2]) =>
      callApi(baseUrl, { key, action: 'balance' }, init);
    const burst = await Promise.all(Array.from({ length: 10 }, () => balance(customer.apiKey)));
    expect(burst.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (const init of [undefined, { headers: {} }]) {
      const limited = await balance(customer.apiKey, init);
      expect(limited.status).toBe(429);
      expect(limited.text).toBe('{"error":"Too many requests"}');
      expect(limited.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(limited.headers.get('retry-after')).toBe('1');
    }
    // The same key by header or query shares the bucket; another key does not.
    expect(
      (await callApi(baseUrl, { action: 'balance' }, { headers: { 'x-api-key': customer.apiKey } })).status,
    ).toBe(429);
    expect((await balance(other.apiKey)).status).toBe(200);
    // Requests without a key are refused as unauthorized, not counted.
    expect((await callApi(baseUrl, { action: 'balance' })).status).toBe(401);
    db().clock.advance(200); // one token at 5 per second
    expect((await balance(customer.apiKey)).status).toBe(200);
    expect((await balance(customer.apiKey)).status).toBe(429);
    db().clock.advance(1_000);
    const refilled = await Promise.all(Array.from({ length: 6 }, () => balance(customer.apiKey)));
    expect(refilled.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('is off unless configured', async () => {
    const { app, baseUrl: unlimitedUrl } = await startServer({ ctx: db().ctx });
    try {
      const customer = await createCustomer(db(), 10_000);
      const responses = await Promise.all(
        Array.from({ length: 150 }, () => callApi(unlimitedUrl, { key: customer.apiKey, action: 'balance' })),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('limits requests without a proven key per address, before the key lookup', async () => {
    const { app, baseUrl: url } = await startServer({
      ctx: db().ctx,
      rateLimit: { perSecond: 5, burst: 10, perAddress: { perSecond: 1, burst: 5 } },
    });
    try {
      const known = await createCustomer(db(), 10_000);
      const balance = (key?: string) => callApi(url, { ...(key ? { key } : {}), action: 'balance' });
      expect((await balance(known.apiKey)).status).toBe(200); // proven: it has a bucket now
      const flood = await Promise.all(Array.from({ length: 20 }, () => balance(`random-${Math.random()}`)));
      expect(flood.filter((r) => r.status === 401)).toHaveLength(5); // the known key's token came back
      const limited = flood.filter((r) => r.status === 429);
      expect(limited).toHaveLength(15);
      expect(limited[0]?.text).toBe('{"error":"Too many requests"}');
      expect(limited[0]?.headers.get('retry-after')).toBe('1');
      expect((await balance()).status).toBe(429); // no key at all: the same bucket
      expect((await balance(known.apiKey)).status).toBe(200); // the hot path spends only its own
      const newcomer = await createCustomer(db(), 10_000);
      expect((await balance(newcomer.apiKey)).status).toBe(429); // not proven yet, address empty
      db().clock.advance(1_000);
      expect((await balance(newcomer.apiKey)).status).toBe(200);
      expect((await balance(`random-${Math.random()}`)).status).toBe(401); // its token was given back
      expect((await balance(`random-${Math.random()}`)).status).toBe(429);
    } finally {
      await app.close();
    }
  });
});
