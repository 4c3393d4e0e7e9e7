import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { placeOrder } from '../src/app/place-order.js';
import { createTestService } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';
import { enrolSecondFactor } from './support/two-factor.js';
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

  it('the docs catalog says which services take runs, in Italian and in English', async () => {
    await createTestService(
      db(),
      { name: 'Plain Likes', minQuantity: 10, maxQuantity: 10_000 },
      DRIP_SERVICE + 1,
    );
    const client = new WebClient(baseUrl);
    const rowOf = (text: string, id: number) =>
      new RegExp(`<tr><td data-label="ID">${id}</td>[\\s\\S]*?</tr>`).exec(text)?.[0] ?? '';
    const italian = (await client.get('/docs')).text;
    expect(italian).toContain('<th scope="col">Rilascio graduale</th>');
    expect(rowOf(italian, DRIP_SERVICE)).toContain('<td data-label="Rilascio graduale">✓</td>');
    expect(rowOf(italian, DRIP_SERVICE + 1)).toContain('<td data-label="Rilascio graduale">—</td>');
    const english = (await client.get('/docs?lang=en')).text;
    expect(english).toContain('<th scope="col">Drip-feed</th>');
    expect(rowOf(english, DRIP_SERVICE)).toContain('<td data-label="Drip-feed">✓</td>');
  });

  it('the operator queue shows which run a drip-feed order is at, in Italian and in English', async () => {
    const email = `queue-boss-${Date.now()}@example.com`;
    const admin = await createAccount(db().ctx, { email, password: PASSWORD, role: 'admin' });
    const { id: accountId } = await createAccount(db().ctx, {
      email: `queue-runs-${Date.now()}@example.com`,
      password: PASSWORD,
      openingBalanceUnits: 1_000_000,
    });
    const { orderId } = await placeOrder(db().ctx, {
      accountId,
      serviceId: DRIP_SERVICE,
      link: 'https://www.instagram.com/p/QueueRuns01/',
      quantity: 100,
      comments: undefined,
      runs: 4,
      intervalMinutes: 30,
    });
    const client = new WebClient(baseUrl);
    expect((await client.submit('/login', '/login', { email, password: PASSWORD })).status).toBe(303);
    await enrolSecondFactor(db().ctx, admin.id);
    const rowOf = (text: string) =>
      new RegExp(`<tr data-order-id="${orderId}">[\\s\\S]*?</tr>`).exec(text)?.[0] ?? '';
    const queue = await client.get('/admin/queue');
    expect(queue.status).toBe(200);
    expect(rowOf(queue.text)).toContain('turno 1 di 4');
    expect(rowOf((await client.get('/admin/queue?lang=en')).text)).toContain('run 1 of 4');
  });
});
