import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { placeOrder } from '../src/app/place-order.js';
import { createTestService } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';
import { startWebServer, WebClient } from './support/web-client.js';

const PASSWORD = 'correct horse battery';
const DRIP_SERVICE = 711;

describeEachDatabase('a drip-feed order on the order page', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), { isDripfeed: true, minQuantity: 10, maxQuantity: 10_000 }, DRIP_SERVICE);
  });
  afterAll(() => stop());

  it('lists the runs with their due time and progress, and "order again" keeps the schedule', async () => {
    const email = `runs-${Date.now()}@example.com`;
    const { id: accountId } = await createAccount(db().ctx, {
      email,
      password: PASSWORD,
      openingBalanceUnits: 1_000_000,
    });
    const { orderId } = await placeOrder(db().ctx, {
      accountId,
      serviceId: DRIP_SERVICE,
      link: 'https://www.instagram.com/p/RunsPage01/',
      quantity: 100,
      comments: undefined,
      runs: 3,
      intervalMinutes: 15,
    });
    const client = new WebClient(baseUrl);
    expect((await client.submit('/login', '/login', { email, password: PASSWORD })).status).toBe(303);
    const page = await client.get(`/orders/${orderId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Turni (3)');
    expect(page.text.match(/data-run-status="waiting"/g)).toHaveLength(3);
    expect(page.text).toContain('0 / 100');
    // "Order again" asks for the same runs of the same size, not one order of the whole.
    expect(page.text).toContain('name="quantity" value="100"');
    expect(page.text).toContain('name="runs" value="3"');
    expect(page.text).toContain('name="interval" value="15"');
    expect((await client.get(`/orders/${orderId}?lang=en`)).text).toContain('Runs (3)');
  });
});
