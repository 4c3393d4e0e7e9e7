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
});
