import { afterAll, beforeAll, expect, it } from 'vitest';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

describeEachDatabase('api v2 smoke', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 1017);
  });
  afterAll(() => stop());

  it('places an order, reports it and cancels it with a full refund', async () => {
    const customer = await createCustomer(db(), 425_000);
    const add = await callApi(baseUrl, {
      key: customer.apiKey,
      action: 'add',
      service: 1017,
      link: 'https://www.instagram.com/p/XXXXX/',
      quantity: 100,
    });
    expect(add.body).toEqual({ order: expect.any(Number) });
    const orderId = (add.body as { order: number }).order;
    const status = await callApi(baseUrl, { key: customer.apiKey, action: 'status', order: orderId });
    expect(status.body).toEqual({
      charge: '0.3500',
      start_count: '0',
      status: 'Pending',
      remains: '100',
      currency: 'EUR',
    });
    const cancel = await callApi(baseUrl, { key: customer.apiKey, action: 'cancel', order: orderId });
    expect(cancel.body).toEqual({ [String(orderId)]: 1 });
    const balance = await callApi(baseUrl, { key: customer.apiKey, action: 'balance' });
    expect(balance.body).toEqual({ balance: '42.5000', currency: 'EUR' });
  });
});
