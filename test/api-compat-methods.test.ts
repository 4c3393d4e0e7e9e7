import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { buildServer } from '../src/http/server.js';
import { createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

/**
 * contract §13, methods and path: what real panels' clients send besides a JSON POST. Every
 * transport must get the same answer, byte for byte, as a JSON POST with the same parameters.
 */
const POST_LINK = 'https://www.instagram.com/p/XXXXX/';
const JSON_TYPE = 'application/json; charset=utf-8';

interface Answer {
  status: number;
  text: string;
  type: string | null;
  allow: string | null;
}

async function send(baseUrl: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, init);
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get('content-type'),
    allow: response.headers.get('allow'),
  };
}

/** Raw bytes on one connection, the whole answer (or answers) read until the server closes. */
function sendRaw(baseUrl: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(bytes);
  });
}

/** The same parameters, each way a client sends them. */
function everyWay(params: Record<string, string>): [string, string, RequestInit][] {
  // Encoded as PHP's http_build_query does: spaces as `+`, the rest percent-encoded.
  const query = new URLSearchParams(params).toString();
  const multipart = new FormData();
  for (const [name, value] of Object.entries(params)) multipart.set(name, value);
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  return [
    ['JSON POST', '/api/v2', { method: 'POST', headers: json, body: JSON.stringify(params) }],
    ['form POST (PHP)', '/api/v2', { method: 'POST', headers: form, body: query }],
    ['query-only POST', `/api/v2?${query}`, { method: 'POST', body: '' }],
    ['GET', `/api/v2?${query}`, { method: 'GET' }],
    ['multipart POST', '/api/v2', { method: 'POST', body: multipart }],
    ['JSON POST to /api/v2/', '/api/v2/', { method: 'POST', headers: json, body: JSON.stringify(params) }],
    ['GET /api/v2/', `/api/v2/?${query}`, { method: 'GET' }],
  ];
}

describeEachDatabase('api v2 §13: methods and path', (db) => {
  let baseUrl = '';
  let key = '';
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 1017);
    key = (await createCustomer(db(), 10_000_000)).apiKey;
  });
  afterAll(() => stop());

  it('answers services, balance, status and a refusal the same way over every transport', async () => {
    const added = await send(baseUrl, '/api/v2', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key, action: 'add', service: 1017, link: POST_LINK, quantity: 100 }),
    });
    const { order } = JSON.parse(added.text) as { order: number };
    const cases: Record<string, string>[] = [
      { key, action: 'services' },
      { key, action: 'balance' },
      { key, action: 'status', order: String(order) },
      { key, action: 'status', orders: `${order}, 999999, __proto__` },
      { key, action: 'add', service: '1017', link: 'not a link', quantity: '100' },
      { key, action: 'nonsense' },
      { key: 'insp_unknown', action: 'balance' },
    ];
    for (const params of cases) {
      const answers = await Promise.all(
        everyWay(params).map(async ([how, path, init]) => [how, await send(baseUrl, path, init)] as const),
      );
      const [, first] = answers[0] ?? [];
      expect(first?.type).toBe(JSON_TYPE);
      for (const [how, answer] of answers) {
        expect({ how, ...answer }, `${params.action} by ${how}`).toEqual({ how, ...first });
      }
    }
  });

  it('places an order by GET and by form, with PHP-style answers', async () => {
    const viaGet = await send(
      baseUrl,
      `/api/v2?${new URLSearchParams({ key, action: 'add', service: '1017', link: POST_LINK, quantity: '100' })}`,
    );
    expect(viaGet.status).toBe(200);
    expect(viaGet.text).toMatch(/^\{"order":\d+\}$/);
    // PHP clients may pad numbers; plain digits with leading zeros are still the number (§1).
    const padded = await send(baseUrl, '/api/v2', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${encodeURIComponent(key)}&action=add&service=0001017&link=${encodeURIComponent(POST_LINK)}&quantity=0000000000000000100`,
    });
    const { order } = JSON.parse(padded.text) as { order: number };
    const status = await send(baseUrl, `/api/v2?key=${encodeURIComponent(key)}&action=status&order=${order}`);
    expect(status.text).toBe(
      '{"charge":"0.3500","start_count":"0","status":"Pending","remains":"100","currency":"EUR"}',
    );
    // A padded order id is that order, keyed as it was spelled.
    const batch = await send(
      baseUrl,
      `/api/v2?key=${encodeURIComponent(key)}&action=status&orders=00${order}`,
    );
    expect(Object.keys(JSON.parse(batch.text) as object)).toEqual([`00${order}`]);
    expect(batch.text).toContain('"status":"Pending"');
  });

  it('HEAD is 200 with no body and needs no key, on /api/v2 and /api/v2/', async () => {
    for (const path of ['/api/v2', '/api/v2/', '/api/v2?action=balance', `/api/v2?key=nope`]) {
      const answer = await send(baseUrl, path, { method: 'HEAD' });
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).toBe('');
    }
  });

  it('a HEAD carrying a body is answered, and the connection goes on to the next request', async () => {
    const answer = await sendRaw(
      baseUrl,
      'HEAD /api/v2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' +
        `GET /api/v2?key=${encodeURIComponent(key)}&action=balance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    const responses = answer.split(/(?=HTTP\/1\.1 )/);
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200 /);
    expect(responses[1]).toMatch(/^HTTP\/1\.1 200 /);
    expect(responses[1]).toMatch(/\{"balance":"\d+\.\d{4}","currency":"EUR"\}$/);
  });

  it.each(['TRACE', 'PROPFIND', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    '%s on /api/v2 and /api/v2/ is 405 {"error":"Method not allowed"}',
    async (method) => {
      for (const path of ['/api/v2', '/api/v2/']) {
        const raw = await sendRaw(
          baseUrl,
          `${method} ${path}?key=${encodeURIComponent(key)}&action=balance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        );
        expect(raw, `${method} ${path}`).toMatch(/^HTTP\/1\.1 405 /);
        expect(raw.toLowerCase()).toContain(`content-type: ${JSON_TYPE}`);
        expect(raw.toLowerCase()).toContain('allow: post, get, head');
        expect(raw.endsWith('{"error":"Method not allowed"}')).toBe(true);
      }
    },
  );

  it('answers what the framework refuses itself in the JSON shapes of §1–§2', async () => {
    const cases: [string, RegExp, string][] = [
      [
        `GET /api/v2 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
        /^HTTP\/1\.1 431 /,
        '{"error":"Request header fields too large"}',
      ],
      [
        'GET /api/v2?key=&action=balance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        /^HTTP\/1\.1 401 /,
        '{"error":"Unauthorized"}',
      ],
      [
        'GET /api/v2?key HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        /^HTTP\/1\.1 401 /,
        '{"error":"Unauthorized"}',
      ],
      [
        'GET /api/v2% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        /^HTTP\/1\.1 400 /,
        '{"error":"Incorrect request"}',
      ],
      [
        'GET /api/v2/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        /^HTTP\/1\.1 400 /,
        '{"error":"Incorrect request"}',
      ],
      [
        `GET /api/v2?%zz&key=${encodeURIComponent(key)}&action=nonsense HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        /^HTTP\/1\.1 200 /,
        '{"error":"Invalid action"}',
      ],
      [
        'POST /api/v2/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{"key":',
        /^HTTP\/1\.1 400 /,
        '{"error":"Incorrect request"}',
      ],
    ];
    for (const [request, status, body] of cases) {
      const answer = await sendRaw(baseUrl, request);
      expect(answer.slice(0, 40), request.slice(0, 40)).toMatch(status);
      expect(answer.toLowerCase()).toContain(`content-type: ${JSON_TYPE}`);
      expect(answer.endsWith(body), request.slice(0, 40)).toBe(true);
    }
  });
});

describeEachDatabase('api v2 §13: GET is rate limited and authenticated like POST, HEAD is not', (db) => {
  it('counts GET against the key, refuses a suspended account, and lets HEAD through', async () => {
    const server = await buildServer({ ctx: db().ctx, rateLimit: { perSecond: 1, burst: 2 } });
    await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = server.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const base = `http://127.0.0.1:${address.port}`;
      const customer = await createCustomer(db(), 10_000);
      const get = `/api/v2?key=${encodeURIComponent(customer.apiKey)}&action=balance`;
      expect((await send(base, get)).text).toBe('{"balance":"1.0000","currency":"EUR"}');
      expect(
        (await send(base, '/api/v2', { method: 'POST', body: '', headers: { 'x-api-key': customer.apiKey } }))
          .status,
      ).toBe(200);
      const limited = await send(base, get);
      expect(limited.status).toBe(429);
      expect(limited.text).toBe('{"error":"Too many requests"}');
      for (let i = 0; i < 5; i++) expect((await send(base, get, { method: 'HEAD' })).status).toBe(200);
      expect((await send(base, '/api/v2?action=balance')).text).toBe('{"error":"Unauthorized"}');
      const suspended = await createCustomer(db(), 10_000);
      await setAccountStatus(db().ctx, { accountId: suspended.id, status: 'suspended', actor: 'test' });
      const refused = await send(base, `/api/v2?key=${encodeURIComponent(suspended.apiKey)}&action=balance`);
      expect(refused.status).toBe(403);
      expect(refused.text).toBe('{"error":"Account suspended"}');
    } finally {
      await server.close();
    }
  });
});
