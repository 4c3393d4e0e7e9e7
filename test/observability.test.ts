import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { checkReadiness } from '../src/app/check-readiness.js';
import { createAppContext } from '../src/app/context.js';
import { FakeClock } from '../src/domain/clock.js';
import { buildOperationsServer } from '../src/http/operations-routes.js';
import { metricsRegistry } from '../src/observability/metrics.js';
import { callApi, createCustomer, createTestService, startServer } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder } from './support/engine.js';

const TOKEN = 'metrics-token-for-the-test-0123';

/** The value of one series in a /metrics text, 0 when absent. */
function seriesValue(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

describeEachDatabase('metrics and health', (db) => {
  const stops: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  /** A node of its own: its order counts are not the ones another test's scrape cached. */
  async function server(metricsAccess: { token: string } | 'off' = { token: TOKEN }) {
    const storage = db().openAnother();
    const { app, baseUrl } = await startServer({
      ctx: createAppContext(storage, db().clock),
      operations: { storage, metricsAccess },
    });
    stops.push(() => app.close());
    return baseUrl;
  }

  it('serves /metrics only to the bearer of the token, and not at all without one', async () => {
    const baseUrl = await server();
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await scrape(baseUrl)).toContain('# TYPE inspiria_http_requests_total counter');
    const closed = await server('off');
    expect((await fetch(`${closed}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      404,
    );
  });

  it('counts API requests by action and status, and orders by status from the database', async () => {
    const customer = await createCustomer(db(), 100_000_000);
    const service = await createTestService(db(), { backend: 'operator', minQuantity: 1 });
    for (let i = 0; i < 3; i++) {
      await placeTestOrder(db().ctx, {
        accountId: customer.id,
        serviceId: service.id,
        link: `https://www.instagram.com/p/Metrics${i}/`,
        quantity: 10,
      });
    }
    const baseUrl = await server();
    const before = await scrape(baseUrl);
    for (let i = 0; i < 4; i++) {
      expect((await callApi(baseUrl, { key: customer.apiKey, action: 'balance' })).status).toBe(200);
    }
    expect((await callApi(baseUrl, { key: 'no-such-key', action: 'balance' })).status).toBe(401);
    // contract: an unknown action is an error in the body of a 200 answer.
    const unknown = await callApi(baseUrl, { key: customer.apiKey, action: 'nonsense' });
    expect(unknown.body).toEqual({ error: expect.any(String) });
    const after = await scrape(baseUrl);
    const delta = (series: string) => seriesValue(after, series) - seriesValue(before, series);
    expect(delta('inspiria_http_requests_total{action="balance",status="200"}')).toBe(4);
    expect(delta('inspiria_http_requests_total{action="balance",status="401"}')).toBe(1);
    expect(delta(`inspiria_http_requests_total{action="other",status="${unknown.status}"}`)).toBe(1);
    expect(delta('inspiria_http_request_duration_seconds_count{action="balance",status="200"}')).toBe(4);
    expect(seriesValue(after, 'inspiria_orders{status="Pending"}')).toBe(3);
    if (db().name === 'postgres') {
      expect(seriesValue(after, 'inspiria_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    }
  });

  it('counts status batches answered as kept and read, and key lookups answered from memory', async () => {
    const customer = await createCustomer(db(), 100_000_000);
    const service = await createTestService(db(), { backend: 'operator', minQuantity: 1 });
    const ids: number[] = [];
    for (let i = 0; i < 2; i++) {
      const link = `https://www.instagram.com/p/MetricsKept${i}/`;
      ids.push(
        await placeTestOrder(db().ctx, { accountId: customer.id, serviceId: service.id, link, quantity: 10 }),
      );
    }
    const baseUrl = await server();
    const before = await scrape(baseUrl);
    const poll = () => callApi(baseUrl, { key: customer.apiKey, action: 'status', orders: ids.join(',') });
    for (let i = 0; i < 3; i++) expect((await poll()).status).toBe(200);
    expect((await callApi(baseUrl, { key: customer.apiKey, action: 'services' })).status).toBe(200);
    const after = await scrape(baseUrl);
    const delta = (series: string) => seriesValue(after, series) - seriesValue(before, series);
    expect(delta('inspiria_status_answers_kept_total{result="miss"}')).toBe(1);
    expect(delta('inspiria_status_answers_kept_total{result="hit"}')).toBe(2);
    // SQLite's nodes look keys up in their cache; PostgreSQL's read every key afresh.
    const lookups = delta('inspiria_key_cache_lookups_total{result="hit"}');
    const total = lookups + delta('inspiria_key_cache_lookups_total{result="miss"}');
    if (db().name === 'sqlite') expect(total).toBeGreaterThan(0);
    else expect(total).toBe(0);
  });

  it('answers /healthz, and /readyz while the database answers and its migrations are current', async () => {
    const another = db().openAnother();
    const ctx = createAppContext(another, db().clock);
    const { app, baseUrl } = await startServer({
      ctx,
      operations: { storage: another, metricsAccess: 'off' },
    });
    stops.push(() => app.close());
    expect(await (await fetch(`${baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', migrations: 'current' });

    // A migration this code knows but the database has not run: not ready.
    const row = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration
      where name = '013-purge-indexes'`.execute(another.db);
    await sql`delete from kysely_migration where name = '013-purge-indexes'`.execute(another.db);
    const pending = await fetch(`${baseUrl}/readyz`);
    expect(pending.status).toBe(503);
    expect(await pending.json()).toMatchObject({ status: 'not_ready', migrations: 'pending' });
    const { name, timestamp } = row.rows[0] as { name: string; timestamp: string };
    await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(
      another.db,
    );
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);

    // The database gone: the process still lives, but is not ready.
    await another.close();
    const gone = await fetch(`${baseUrl}/readyz`);
    expect(gone.status).toBe(503);
    expect(await gone.json()).toMatchObject({ status: 'not_ready', database: 'unreachable' });
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
  });

  it('is not ready once the last round of the worker is older than its bound', async () => {
    const clock = new FakeClock(1_000_000);
    const ctx = { ...db().ctx, clock };
    const storage = db().storage;
    const pulse = (lastRoundAtMs: number | undefined) => ({
      worker: { lastRoundAtMs, startedAtMs: 990_000, staleAfterMs: 5_000 },
      storage,
    });
    expect(await checkReadiness(ctx, pulse(998_000))).toMatchObject({ isReady: true, worker: 'ok' });
    expect(await checkReadiness(ctx, pulse(994_000))).toMatchObject({ isReady: false, worker: 'stale' });
    // Before its first round, the worker is judged from its start.
    expect((await checkReadiness(ctx, pulse(undefined))).worker).toBe('stale');
    clock.set(993_000);
    expect((await checkReadiness(ctx, pulse(undefined))).worker).toBe('ok');
    expect((await checkReadiness(ctx, { storage })).worker).toBe('not_in_this_process');
  });

  it('serves /metrics without a token on the separate metrics server', async () => {
    const app = await buildOperationsServer(db().ctx, { storage: db().storage });
    await app.listen({ port: 0, host: '127.0.0.1' });
    stops.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('inspiria_orders');
    expect((await fetch(`http://127.0.0.1:${port}/api/v2`)).status).toBe(404);
  });
});

describe('the Grafana dashboard', () => {
  it('is valid JSON whose every query names a metric the panel exports', () => {
    const dashboard = JSON.parse(readFileSync('ops/grafana-dashboard.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThan(5);
    const named = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        for (const match of target.expr.matchAll(/\binspiria_[a-z_]+/g)) named.add(match[0]);
      }
    }
    const exported = new Set(metricsRegistry.getMetricsAsArray().map((metric) => metric.name));
    for (const name of named) {
      const base = name.replace(/_(bucket|sum|count)$/, '');
      expect(exported.has(name) || exported.has(base), name).toBe(true);
    }
    // And every metric exported appears on the dashboard.
    for (const name of exported)
      expect(
        [...named].some((used) => used.startsWith(name)),
        name,
      ).toBe(true);
  });
});
