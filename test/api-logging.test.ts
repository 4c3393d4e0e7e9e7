import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { type buildServer, loggerOptions } from '../src/http/server.js';
import { callApi, createCustomer, createTestService, startServer } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

const POST = 'https://www.instagram.com/p/XXXXX/';

/** A server logging as the panel does (src/main.ts), into memory. */
async function loggingServer(ctx: Parameters<typeof buildServer>[0]['ctx'], level: string) {
  const lines: string[] = [];
  const logger = pino(loggerOptions(level), { write: (line: string) => lines.push(line) });
  const { app, baseUrl } = await startServer({ ctx, logger });
  return { app, lines, baseUrl };
}

/** Every way a key reaches the server, on a request that succeeds, one refused and one that fails. */
async function sendKeyEveryWay(baseUrl: string, key: string): Promise<number[]> {
  const statuses: number[] = [];
  const q = `key=${encodeURIComponent(key)}`;
  const calls = [
    callApi(baseUrl, { key, action: 'balance' }),
    callApi(baseUrl, { key, action: 'add', service: 1017, link: POST, quantity: 100 }),
    callApi(baseUrl, { action: 'balance' }, { headers: { 'x-api-key': key } }),
    callApi(baseUrl, {}, { query: `${q}&action=balance`, rawBody: '' }),
    callApi(baseUrl, {}, { query: `action=status&order=1&${q}` }),
    callApi(baseUrl, {}, { query: `KEY=${encodeURIComponent(key)}&action=balance`, rawBody: '' }),
    callApi(baseUrl, {}, { query: `k%65y=${encodeURIComponent(key)}&action=balance`, rawBody: '' }),
    callApi(baseUrl, {}, { query: `${q}&action=balance`, method: 'GET' }),
    callApi(baseUrl, {}, { query: `${q}&action=balance`, method: 'HEAD' }),
    callApi(baseUrl, {}, { query: `${q}&action=balance`, method: 'DELETE', rawBody: '' }),
    callApi(
      baseUrl,
      {},
      {
        rawBody: new URLSearchParams({ key, action: 'balance' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    ),
    (() => {
      const form = new FormData();
      form.set('key', key);
      form.set('action', 'balance');
      return callApi(baseUrl, {}, { rawBody: form, headers: { 'x-api-key': key } });
    })(),
    callApi(
      baseUrl,
      {},
      { rawBody: `{"key":"${key}", broken`, headers: { 'content-type': 'application/json' } },
    ),
  ];
  for (const response of await Promise.all(calls)) statuses.push(response.status);
  return statuses;
}

describeEachDatabase('api v2 logging', (db) => {
  let key = '';

  beforeAll(async () => {
    await createTestService(db(), {}, 1017);
    key = (await createCustomer(db(), 1_000_000)).apiKey;
  });

  for (const level of ['info', 'trace']) {
    it(`never logs a key at level ${level}: success, 401, 405, 400`, async () => {
      const server = await loggingServer(db().ctx, level);
      try {
        const statuses = await sendKeyEveryWay(server.baseUrl, key);
        expect(statuses).toContain(200);
        expect(statuses).toContain(405);
        expect(statuses).toContain(400);
        const unknownKey = 'insp_this-key-is-unknown-but-still-secret';
        expect(await sendKeyEveryWay(server.baseUrl, unknownKey)).toContain(401);
        expect(server.lines.length).toBeGreaterThan(10);
        const leaks = server.lines.filter((line) => line.includes(key) || line.includes(unknownKey));
        expect(leaks.map((line) => line.slice(0, 300))).toEqual([]);
        for (const line of server.lines) {
          expect(line).not.toContain(key);
          expect(line).not.toContain(encodeURIComponent(key));
          expect(line).not.toContain(unknownKey);
        }
        // The redacted URL is still logged, so the request can be traced.
        expect(server.lines.some((line) => line.includes('[redacted]'))).toBe(true);
      } finally {
        await server.app.close();
      }
    });
  }

  it('never logs a key when a request fails with 500', async () => {
    // A node whose database fails on every query: each request with a key fails inside.
    const failing = new Proxy(
      {},
      {
        get() {
          throw new Error('database unavailable');
        },
      },
    );
    const ctx = {
      ...createAppContext(db().storage, db().clock),
      db: failing as AppContext['db'],
      apiReads: failing as AppContext['apiReads'],
    };
    const server = await loggingServer(ctx, 'info');
    try {
      const statuses = await sendKeyEveryWay(server.baseUrl, key);
      expect(statuses).toContain(500);
      const failure = await callApi(server.baseUrl, { key, action: 'balance' });
      expect(failure.status).toBe(500);
      expect(failure.text).toBe('{"error":"Internal error"}');
      expect(server.lines.some((line) => line.includes('"level":50'))).toBe(true);
      for (const line of server.lines) {
        expect(line).not.toContain(key);
        expect(line).not.toContain(encodeURIComponent(key));
      }
    } finally {
      await server.app.close();
    }
  });

  afterAll(() => undefined);
});
