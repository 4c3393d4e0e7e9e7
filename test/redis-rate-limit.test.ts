import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { afterAll, expect, it } from 'vitest';
import { createAppContext } from '../src/app/context.js';
import { RedisBuckets } from '../src/http/redis-buckets.js';
import { metricsRegistry } from '../src/observability/metrics.js';
import { callApi, createCustomer, startServer } from './support/api-server.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';

const REDIS_PORT = 6379;
const LIMIT = { perSecond: 1, burst: 5 };

/**
 * A TCP relay in front of the machine's Redis: stopping it is Redis going away for this node,
 * while the machine's Redis, which other tests use, keeps running.
 */
async function startRelay(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(REDIS_PORT);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    // A db number of its own, and below a key prefix of its own, so nothing meets other runs.
    url: `redis://127.0.0.1:${port}/7`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function collectingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

async function metricValue(name: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  return metric?.values[0]?.value ?? 0;
}

describeEachDatabase('API rate limits shared through Redis', (db) => {
  const stops: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  /** An API node on a connection of its own, its buckets in Redis under `keyPrefix`. */
  async function node(database: TestDatabase, url: string, keyPrefix: string, isReachable = true) {
    const { logger, lines } = collectingLogger();
    const buckets = new RedisBuckets({ url, logger, keyPrefix, commandTimeoutMs: 500 });
    expect(await buckets.waitUntilConnected(isReachable ? 10_000 : 200)).toBe(isReachable);
    const { app, baseUrl } = await startServer({
      ctx: createAppContext(database.openAnother(), database.clock),
      rateLimit: LIMIT,
      sharedBuckets: buckets,
    });
    stops.push(
      () => buckets.close(),
      () => app.close(),
    );
    return { baseUrl, lines };
  }

  it('spends one burst across two nodes, and each node limits alone while Redis is gone', async () => {
    const relay = await startRelay();
    stops.push(() => relay.stop());
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const first = await node(db(), relay.url, prefix);
    const second = await node(db(), relay.url, prefix);
    const customer = await createCustomer(db(), 10_000_000);
    const balance = (baseUrl: string) => callApi(baseUrl, { key: customer.apiKey, action: 'balance' });

    // The clock stands still: no token comes back during the test.
    for (let i = 0; i < 3; i++) expect((await balance(first.baseUrl)).status).toBe(200);
    expect((await balance(second.baseUrl)).status).toBe(200);
    expect((await balance(second.baseUrl)).status).toBe(200);
    const refused = await balance(second.baseUrl);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await balance(first.baseUrl)).status).toBe(429);

    const fallbacksBefore = await metricValue('inspiria_rate_limit_fallbacks_total');
    await relay.stop();
    // Alone, the node answers, from a bucket of its own (its own burst, then refusals).
    const alone = [];
    for (let i = 0; i < LIMIT.burst + 1; i++) alone.push((await balance(second.baseUrl)).status);
    expect(alone).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await metricValue('inspiria_rate_limit_fallbacks_total')).toBe(fallbacksBefore + LIMIT.burst + 1);
    expect(await metricValue('inspiria_rate_limit_redis_up')).toBe(0);
    const warnings = second.lines.filter((line) => line.includes('Redis does not answer'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] as string).level).toBe(40);
  });

  it('answers at once, limiting alone, when Redis was never reachable', async () => {
    const closed = await startRelay();
    await closed.stop();
    const lonely = await node(db(), closed.url, `test:${randomBytes(6).toString('hex')}:`, false);
    const customer = await createCustomer(db(), 10_000_000);
    const statuses = [];
    for (let i = 0; i < LIMIT.burst + 1; i++) {
      statuses.push((await callApi(lonely.baseUrl, { key: customer.apiKey, action: 'balance' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(lonely.lines.some((line) => line.includes('Redis does not answer'))).toBe(true);
  });
});
