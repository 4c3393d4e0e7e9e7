import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regenerateApiKey } from '../src/app/regenerate-api-key.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import {
  type ApiResponse,
  callApi,
  createCustomer,
  createTestService,
  startApiServer,
} from './support/api-server.js';
import { snapshot } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';

/** contract.md §1, §2, §4 and §12: transport, authentication, services and balance. */
describeEachDatabase('api v2 contract: transport and authentication', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  let key = '';

  /** Every response is JSON with this exact content type, errors included (contract §1). */
  async function api(...args: Parameters<typeof callApi>): Promise<ApiResponse> {
    const response = await callApi(...args);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.body).not.toBeUndefined();
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    return response;
  }

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 1017);
    await createTestService(db(), { name: 'Reel views', category: 'Views', linkType: 'reel_url' }, 5);
    await createTestService(db(), { name: 'Old likes', category: 'Likes', isActive: false }, 3);
    await createTestService(db(), { name: 'Cheap likes', category: 'Likes', rateUnits: 12_345 }, 7);
    await createTestService(
      db(),
      { name: 'Followers', category: 'Followers', linkType: 'username', canCancel: false },
      9,
    );
    await createTestService(
      db(),
      { name: 'Comments', category: 'Comments', type: 'Custom Comments', minQuantity: 1, maxQuantity: 10 },
      11,
    );
    key = (await createCustomer(db(), 425_000)).apiKey;
  });
  afterAll(() => stop());

  const balanceOk = { balance: '42.5000', currency: 'EUR' };

  describe('§1 transport', () => {
    it('takes a JSON body', async () => {
      const response = await api(baseUrl, { key, action: 'balance' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual(balanceOk);
    });

    it('takes an application/x-www-form-urlencoded body, numbers as strings', async () => {
      const response = await api(
        baseUrl,
        {},
        {
          rawBody: new URLSearchParams({ key, action: 'balance' }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      expect(response.body).toEqual(balanceOk);
      const other = await createCustomer(db(), 10_000);
      const add = await api(
        baseUrl,
        {},
        {
          rawBody: `key=${encodeURIComponent(other.apiKey)}&action=add&service=1017&link=${encodeURIComponent('https://www.instagram.com/p/XXXXX/')}&quantity=100`,
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        },
      );
      expect(add.body).toEqual({ order: expect.any(Number) });
    });

    it('takes a multipart/form-data body (PHP curl with an array)', async () => {
      const form = new FormData();
      form.set('key', key);
      form.set('action', 'balance');
      const response = await api(baseUrl, {}, { rawBody: form });
      expect(response.body).toEqual(balanceOk);
      const other = await createCustomer(db(), 10_000);
      const addForm = new FormData();
      for (const [name, value] of Object.entries({
        key: other.apiKey,
        action: 'add',
        service: '1017',
        link: 'https://www.instagram.com/p/XXXXX/',
        quantity: '100',
      }))
        addForm.set(name, value);
      const add = await api(baseUrl, {}, { rawBody: addForm });
      expect(add.body).toEqual({ order: expect.any(Number) });
    });

    it('takes a POST with an empty body and everything in the query string', async () => {
      const query = `key=${encodeURIComponent(key)}&action=balance`;
      const bare = await api(baseUrl, {}, { query, rawBody: '' });
      expect(bare.status).toBe(200);
      expect(bare.body).toEqual(balanceOk);
      const asJson = await api(
        baseUrl,
        {},
        { query, rawBody: '', headers: { 'content-type': 'application/json' } },
      );
      expect(asJson.body).toEqual(balanceOk);
      const asForm = await api(
        baseUrl,
        {},
        {
          query,
          rawBody: '',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      expect(asForm.body).toEqual(balanceOk);
      const noBody = await fetch(`${baseUrl}/api/v2?${query}`, { method: 'POST' });
      expect(await noBody.json()).toEqual(balanceOk);
    });

    it('merges the query string and the body, the body winning on a conflict', async () => {
      const merged = await api(baseUrl, { action: 'balance' }, { query: `key=${encodeURIComponent(key)}` });
      expect(merged.body).toEqual(balanceOk);
      const conflict = await api(baseUrl, { key, action: 'balance' }, { query: 'action=services' });
      expect(conflict.body).toEqual(balanceOk);
      const formConflict = await api(
        baseUrl,
        {},
        {
          query: 'action=services',
          rawBody: new URLSearchParams({ key, action: 'balance' }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      expect(formConflict.body).toEqual(balanceOk);
    });

    it('answers other methods with HTTP 405 and a JSON error', async () => {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const response = await api(
          baseUrl,
          {},
          {
            method,
            query: `key=${encodeURIComponent(key)}&action=balance`,
            rawBody: JSON.stringify({ key, action: 'balance' }),
          },
        );
        expect(response.status, method).toBe(405);
        expect(response.body).toEqual({ error: expect.any(String) });
      }
    });

    it('answers a body that cannot be parsed with HTTP 400 {"error":"Incorrect request"}', async () => {
      for (const [rawBody, contentType] of [
        ['{"key": "x", "action": ', 'application/json'],
        ['{not json}', 'application/json'],
        ['{"key":', 'text/plain'],
        ['key=x&action=balance', 'multipart/form-data'],
        [
          '--b\r\nContent-Disposition: form-data; name="j"\r\nContent-Type: application/json\r\n\r\n{bad\r\n--b--\r\n',
          'multipart/form-data; boundary=b',
        ],
      ] as const) {
        const response = await api(baseUrl, {}, { rawBody, headers: { 'content-type': contentType } });
        expect(response.status).toBe(400);
        expect(response.text).toBe('{"error":"Incorrect request"}');
      }
    });

    it('takes a body of exactly 1 MiB and refuses one over it with HTTP 413 JSON', async () => {
      const before = await snapshot(db());
      const head = JSON.stringify({ key, action: 'balance', pad: '' });
      const exact = `${head.slice(0, -2)}${'x'.repeat(1024 * 1024 - head.length)}"}`;
      expect(Buffer.byteLength(exact)).toBe(1024 * 1024);
      const atLimit = await api(
        baseUrl,
        {},
        { rawBody: exact, headers: { 'content-type': 'application/json' } },
      );
      expect(atLimit.body).toEqual(balanceOk);
      const over = `${exact.slice(0, -2)}x"}`;
      const json = await api(baseUrl, {}, { rawBody: over, headers: { 'content-type': 'application/json' } });
      expect(json.status).toBe(413);
      expect(json.body).toEqual({ error: expect.any(String) });
      const form = await api(
        baseUrl,
        {},
        {
          rawBody: `key=${encodeURIComponent(key)}&action=balance&pad=${'x'.repeat(1024 * 1024)}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      expect(form.status).toBe(413);
      const multipartBody = new FormData();
      multipartBody.set('key', key);
      multipartBody.set('action', 'balance');
      multipartBody.set('pad', 'x'.repeat(1024 * 1024));
      const multipartResponse = await api(baseUrl, {}, { rawBody: multipartBody });
      expect(multipartResponse.status).toBe(413);
      const manyFields = new FormData();
      manyFields.set('key', key);
      manyFields.set('action', 'balance');
      for (let i = 0; i < 5; i++) manyFields.set(`pad${i}`, 'x'.repeat(300 * 1024));
      const manyResponse = await api(baseUrl, {}, { rawBody: manyFields });
      expect(manyResponse.status).toBe(413);
      expect(await snapshot(db())).toEqual(before);
    });

    it('refuses a chunked multipart body over 1 MiB (no content-length) with HTTP 413', async () => {
      const form = new FormData();
      form.set('key', key);
      form.set('action', 'balance');
      for (let i = 0; i < 3; i++) form.set(`pad${i}`, 'x'.repeat(400 * 1024));
      const encoded = new Response(form);
      const contentType = encoded.headers.get('content-type') ?? '';
      const bytes = new Uint8Array(await encoded.arrayBuffer());
      const stream = new ReadableStream({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += 64 * 1024)
            controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
          controller.close();
        },
      });
      const response = await fetch(`${baseUrl}/api/v2`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ error: expect.any(String) });
    });

    it('answers an unknown path with JSON too', async () => {
      const response = await fetch(`${baseUrl}/api/v3`, { method: 'POST' });
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });
  });

  describe('§2 authentication', () => {
    it('reads the key from the body, else the X-Api-Key header, else the query string', async () => {
      const wrong = 'insp_wrong';
      const q = (k: string) => `key=${encodeURIComponent(k)}`;
      const header = (k: string) => ({ 'x-api-key': k });
      expect((await api(baseUrl, { action: 'balance' }, { headers: header(key) })).body).toEqual(balanceOk);
      expect((await api(baseUrl, { action: 'balance' }, { query: q(key) })).body).toEqual(balanceOk);
      // body beats header and query
      expect(
        (await api(baseUrl, { key, action: 'balance' }, { headers: header(wrong), query: q(wrong) })).body,
      ).toEqual(balanceOk);
      const bodyWrong = await api(
        baseUrl,
        { key: wrong, action: 'balance' },
        { headers: header(key), query: q(key) },
      );
      expect(bodyWrong.status).toBe(401);
      // header beats query
      expect(
        (await api(baseUrl, { action: 'balance' }, { headers: header(key), query: q(wrong) })).body,
      ).toEqual(balanceOk);
      const headerWrong = await api(
        baseUrl,
        { action: 'balance' },
        { headers: header(wrong), query: q(key) },
      );
      expect(headerWrong.status).toBe(401);
      // the query key also works for a form body without one
      const formWithQueryKey = await api(
        baseUrl,
        {},
        {
          query: q(key),
          rawBody: 'action=balance',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      expect(formWithQueryKey.body).toEqual(balanceOk);
    });

    it('answers a missing, unknown or malformed key with HTTP 401 {"error":"Unauthorized"}', async () => {
      for (const params of [
        { action: 'balance' },
        { key: '', action: 'balance' },
        { key: 'insp_unknown', action: 'balance' },
        { key: ['a', 'b'], action: 'balance' },
        { key: 12345, action: 'balance' },
        { key: `${key} `, action: 'balance' },
        { key: key.toUpperCase(), action: 'balance' },
        { action: 'services' },
      ]) {
        const response = await api(baseUrl, params);
        expect(response.status, JSON.stringify(params)).toBe(401);
        expect(response.text).toBe('{"error":"Unauthorized"}');
      }
    });

    it('stores keys only as hashes', async () => {
      const customer = await createCustomer(db(), 10_000);
      const fresh = await regenerateApiKey(db().ctx, { accountId: customer.id });
      await api(baseUrl, { key: fresh, action: 'balance' });
      for (const table of [
        'accounts',
        'api_keys',
        'audit_log',
        'ledger_entries',
        'orders',
        'idempotency_keys',
      ] as const) {
        const rows = JSON.stringify(await db().ctx.db.selectFrom(table).selectAll().execute());
        for (const secret of [customer.apiKey, fresh]) {
          expect(rows, table).not.toContain(secret);
          expect(rows, table).not.toContain(secret.slice(5)); // without the visible "insp_" prefix
        }
      }
    });

    it('revokes the old key at once when a key is regenerated', async () => {
      const customer = await createCustomer(db(), 10_000);
      expect((await api(baseUrl, { key: customer.apiKey, action: 'balance' })).status).toBe(200);
      const fresh = await regenerateApiKey(db().ctx, { accountId: customer.id });
      expect(fresh).not.toBe(customer.apiKey);
      const old = await api(baseUrl, { key: customer.apiKey, action: 'balance' });
      expect(old.status).toBe(401);
      expect(old.body).toEqual({ error: 'Unauthorized' });
      expect((await api(baseUrl, { key: fresh, action: 'balance' })).body).toEqual({
        balance: '1.0000',
        currency: 'EUR',
      });
    });

    it('answers every action of a suspended account with HTTP 403 {"error":"Account suspended"}', async () => {
      const customer = await createCustomer(db(), 100_000);
      const order = await api(baseUrl, {
        key: customer.apiKey,
        action: 'add',
        service: 1017,
        link: 'https://www.instagram.com/p/XXXXX/',
        quantity: 100,
      });
      const orderId = (order.body as { order: number }).order;
      await setAccountStatus(db().ctx, { accountId: customer.id, status: 'suspended', actor: 'test' });
      const before = await snapshot(db());
      for (const params of [
        { action: 'services' },
        { action: 'balance' },
        { action: 'add', service: 1017, link: 'https://www.instagram.com/p/XXXXX/', quantity: 100 },
        { action: 'status', order: orderId },
        { action: 'status', orders: String(orderId) },
        { action: 'cancel', order: orderId },
        { action: 'refill', order: orderId },
        { action: 'refill_status', refill: 1 },
        { action: 'nonsense' },
        {},
      ]) {
        const response = await api(baseUrl, { key: customer.apiKey, ...params });
        expect(response.status, JSON.stringify(params)).toBe(403);
        expect(response.text).toBe('{"error":"Account suspended"}');
      }
      expect(await snapshot(db())).toEqual(before);
      await setAccountStatus(db().ctx, { accountId: customer.id, status: 'active', actor: 'test' });
      expect(
        (await api(baseUrl, { key: customer.apiKey, action: 'status', order: orderId })).body,
      ).toMatchObject({
        status: 'Pending',
      });
    });

    it('answers an unknown or missing action with {"error":"Invalid action"}', async () => {
      for (const action of [
        undefined,
        '',
        'Balance',
        'nonsense',
        'toString',
        '__proto__',
        'constructor',
        ['balance'],
      ]) {
        const response = await api(baseUrl, { key, ...(action === undefined ? {} : { action }) });
        expect(response.status, String(action)).toBe(200);
        expect(response.text).toBe('{"error":"Invalid action"}');
      }
    });

    it('answers refill and refill_status with {"error":"Refill is not supported"}', async () => {
      for (const action of ['refill', 'refill_status']) {
        const response = await api(baseUrl, { key, action, order: 1, refill: 1 });
        expect(response.status).toBe(200);
        expect(response.text).toBe('{"error":"Refill is not supported"}');
      }
    });
  });

  describe('§4 services and §12 balance', () => {
    it('lists only active services, ordered by category then id', async () => {
      const response = await api(baseUrl, { key, action: 'services' });
      const services = response.body as {
        service: number;
        category: string;
        type: string;
        rate: string;
        description: string;
      }[];
      expect(services.map((s) => [s.category, s.service])).toEqual([
        ['Comments', 11],
        ['Followers', 9],
        ['Likes', 7],
        ['Likes', 1017],
        ['Views', 5],
      ]);
      expect(services.find((s) => s.service === 11)?.type).toBe('Custom Comments');
      expect(services.find((s) => s.service === 7)?.rate).toBe('1.2345');
      expect(services.find((s) => s.service === 9)).toMatchObject({
        cancel: false,
        description: 'Link type: username',
      });
      expect(services.find((s) => s.service === 5)?.description).toBe('Link type: reel_url');
    });

    it('balance: exactly {"balance":"…","currency":"EUR"} with 4 decimals', async () => {
      for (const [units, text] of [
        [0, '0.0000'],
        [1, '0.0001'],
        [425_000, '42.5000'],
        [123_456_789, '12345.6789'],
      ] as const) {
        const customer = await createCustomer(db(), units);
        const response = await api(baseUrl, { key: customer.apiKey, action: 'balance' });
        expect(response.text).toBe(`{"balance":"${text}","currency":"EUR"}`);
      }
    });
  });
});
