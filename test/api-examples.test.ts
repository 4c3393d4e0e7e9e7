import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { deliver, expectLedgerOk, storedOrder } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { SERVICE_FIELDS } from './support/fuzz-shapes.js';

/** Every example of the provider's API page (inspiria-api-v2.txt), request and response. */
describeEachDatabase('api v2 page examples', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  const post = 'https://www.instagram.com/p/XXXXX/';

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 1017);
    await createTestService(
      db(),
      {
        name: 'IG Followers',
        category: 'Followers',
        linkType: 'username',
        rateUnits: 20_000,
        maxQuantity: 10_000,
      },
      2,
    );
  });
  afterAll(() => stop());

  async function placed(key: string, params: Record<string, unknown>): Promise<number> {
    const response = await callApi(baseUrl, { key, action: 'add', ...params });
    expect(response.body).toEqual({ order: expect.any(Number) });
    return (response.body as { order: number }).order;
  }

  it('action=services: the array of services with the exact field types', async () => {
    const customer = await createCustomer(db());
    const response = await callApi(baseUrl, { key: customer.apiKey, action: 'services' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const services = response.body as Record<string, unknown>[];
    expect(services).toEqual([
      {
        service: 2,
        name: 'IG Followers',
        type: 'Default',
        category: 'Followers',
        rate: '2.0000',
        min: '25',
        max: '10000',
        dripfeed: false,
        refill: false,
        cancel: true,
        description: 'Link type: username',
        currency: 'EUR',
        desc: 'Link type: username',
      },
      {
        service: 1017,
        name: 'IG Likes - Male+Female',
        type: 'Default',
        category: 'Likes',
        rate: '3.5000',
        min: '25',
        max: '5000',
        dripfeed: false,
        refill: false,
        cancel: true,
        description: 'Link type: post_url',
        currency: 'EUR',
        desc: 'Link type: post_url',
      },
    ]);
    const likes = services[1] as Record<string, unknown>;
    expect(typeof likes.service).toBe('number');
    for (const field of ['rate', 'min', 'max', 'name', 'type', 'category', 'description', 'currency', 'desc'])
      expect(typeof likes[field]).toBe('string');
    for (const field of ['dripfeed', 'refill', 'cancel']) expect(typeof likes[field]).toBe('boolean');
    expect(Object.keys(likes)).toEqual(SERVICE_FIELDS);
  });

  it('action=balance: {"balance":"42.5000","currency":"EUR"}', async () => {
    const customer = await createCustomer(db(), 425_000);
    const response = await callApi(baseUrl, { key: customer.apiKey, action: 'balance' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('{"balance":"42.5000","currency":"EUR"}');
  });

  describe('action=add', () => {
    it('SMM order: {"order": N} and the balance deducted at once', async () => {
      const customer = await createCustomer(db(), 425_000);
      const response = await callApi(baseUrl, {
        key: customer.apiKey,
        action: 'add',
        service: 1017,
        link: post,
        quantity: 100,
      });
      expect(response.status).toBe(200);
      expect(response.text).toMatch(/^\{"order":\d+\}$/);
      const balance = await callApi(baseUrl, { key: customer.apiKey, action: 'balance' });
      expect(balance.body).toEqual({ balance: '42.1500', currency: 'EUR' });
    });

    it('insufficient balance: the exact text with both amounts', async () => {
      const customer = await createCustomer(db(), 1_200);
      const response = await callApi(baseUrl, {
        key: customer.apiKey,
        action: 'add',
        service: 1017,
        link: post,
        quantity: 100,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ error: 'Insufficient balance. Required: €0.3500, Available: €0.1200' });
    });

    it('wrong link type: the post URL error', async () => {
      const customer = await createCustomer(db(), 425_000);
      const response = await callApi(baseUrl, {
        key: customer.apiKey,
        action: 'add',
        service: 1017,
        link: 'myusername',
        quantity: 100,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ error: 'This service requires a post URL (e.g. instagram.com/p/...)' });
    });

    it('username order with service 2', async () => {
      const customer = await createCustomer(db(), 425_000);
      const orderId = await placed(customer.apiKey, { service: 2, link: 'myusername', quantity: 500 });
      const order = await storedOrder(db(), orderId);
      expect(order.link).toBe('myusername');
      expect(Number(order.quantity)).toBe(500);
      expect(Number(order.charge_units)).toBe(10_000);
    });
  });

  describe('action=status', () => {
    it('single order', async () => {
      const customer = await createCustomer(db(), 425_000);
      const orderId = await placed(customer.apiKey, { service: 1017, link: post, quantity: 100 });
      await deliver(db(), orderId, 13, 1042);
      const response = await callApi(baseUrl, { key: customer.apiKey, action: 'status', order: orderId });
      expect(response.status).toBe(200);
      expect(response.text).toBe(
        '{"charge":"0.3500","start_count":"1042","status":"In progress","remains":"87","currency":"EUR"}',
      );
    });

    it('batch: keyed by id, with "Order not found" for an unknown one', async () => {
      const customer = await createCustomer(db(), 425_000);
      const first = await placed(customer.apiKey, { service: 1017, link: post, quantity: 100 });
      const second = await placed(customer.apiKey, { service: 1017, link: post, quantity: 200 });
      await deliver(db(), first, 100, 1042);
      await deliver(db(), second, 150, 500);
      const unknown = second + 1000;
      const response = await callApi(baseUrl, {
        key: customer.apiKey,
        action: 'status',
        orders: `${first},${second},${unknown}`,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        [first]: {
          charge: '0.3500',
          start_count: '1042',
          status: 'Completed',
          remains: '0',
          currency: 'EUR',
        },
        [second]: {
          charge: '0.7000',
          start_count: '500',
          status: 'In progress',
          remains: '50',
          currency: 'EUR',
        },
        [unknown]: { error: 'Order not found' },
      });
    });
  });

  describe('action=cancel', () => {
    it('single: {"id": 1} on success, the reason for a completed order', async () => {
      const customer = await createCustomer(db(), 425_000);
      const pending = await placed(customer.apiKey, { service: 1017, link: post, quantity: 100 });
      const completed = await placed(customer.apiKey, { service: 1017, link: post, quantity: 100 });
      await deliver(db(), completed, 100);
      const ok = await callApi(baseUrl, { key: customer.apiKey, action: 'cancel', order: pending });
      expect(ok.status).toBe(200);
      expect(ok.text).toBe(`{"${pending}":1}`);
      const refused = await callApi(baseUrl, { key: customer.apiKey, action: 'cancel', order: completed });
      expect(refused.status).toBe(200);
      expect(refused.body).toEqual({ [completed]: 'Cannot cancel: status is completed' });
    });

    it('batch: one object keyed by id', async () => {
      const customer = await createCustomer(db(), 425_000);
      const pending = await placed(customer.apiKey, { service: 1017, link: post, quantity: 100 });
      const completed = await placed(customer.apiKey, { service: 1017, link: post, quantity: 100 });
      await deliver(db(), completed, 100);
      const response = await callApi(baseUrl, {
        key: customer.apiKey,
        action: 'cancel',
        orders: `${pending},${completed}`,
      });
      expect(response.body).toEqual({ [pending]: 1, [completed]: 'Cannot cancel: status is completed' });
      const status = await callApi(baseUrl, { key: customer.apiKey, action: 'status', order: pending });
      expect(status.body).toEqual({
        charge: '0.0000',
        start_count: '0',
        status: 'Canceled',
        remains: '100',
        currency: 'EUR',
      });
      await expectLedgerOk(db());
    });
  });

  it('action=refill is not supported', async () => {
    const customer = await createCustomer(db());
    const response = await callApi(baseUrl, { key: customer.apiKey, action: 'refill', order: 1 });
    expect(response.body).toEqual({ error: 'Refill is not supported' });
  });

  it('a missing or invalid key gets HTTP 401', async () => {
    const response = await callApi(baseUrl, { key: 'nope', action: 'balance' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'Unauthorized' });
  });
});
