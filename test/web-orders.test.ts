import { afterAll, beforeAll, expect, it } from 'vitest';
import { creditAccount } from '../src/app/credit-account.js';
import { placeOrder } from '../src/app/place-order.js';
import { spendingByDay } from '../src/app/spending-by-day.js';
import { createTestService } from './support/api-server.js';
import { signUpVerifiedCustomer, uniqueEmail } from './support/customers.js';
import { describeEachDatabase } from './support/databases.js';
import { startWebServer, type WebClient } from './support/web-client.js';

describeEachDatabase('web orders, cancel and ledger', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 501);
  });
  afterAll(() => stop());

  async function customer(balanceUnits: number) {
    const { client, accountId } = await signUpVerifiedCustomer(baseUrl, db().ctx, {
      email: uniqueEmail('orders'),
    });
    const account = { id: accountId };
    await creditAccount(db().ctx, {
      accountId: account.id,
      amountUnits: balanceUnits,
      reason: 'test',
      actor: 'test',
    });
    return { client, accountId: account.id };
  }

  async function place(client: WebClient, link: string, quantity: string) {
    const preview = await client.submit('/orders/new', '/orders/preview', { service: '501', link, quantity });
    const key = /name="idempotency_key" value="([^"]+)"/.exec(preview.text)?.[1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.text)?.[1] ?? '';
    if (!key) return { preview, placed: undefined };
    const fields = { _csrf: csrf, service: '501', link, quantity, comments: '', idempotency_key: key };
    const placed = await client.post('/orders', fields);
    const again = await client.post('/orders', fields);
    expect(again.location).toBe(placed.location); // the same confirmation places one order
    return { preview, placed: Number(/placed=(\d+)/.exec(placed.location ?? '')?.[1]) };
  }

  it('previews the exact charge, places once per confirmation, and words refusals in Italian', async () => {
    const { client } = await customer(10_000);
    const short = await place(client, 'https://www.instagram.com/p/ABCDE12345/', '1000');
    expect(short.preview.status).toBe(400);
    expect(short.preview.text).toContain('Saldo insufficiente: servono 3,5000 €, disponibili 1,0000 €.');
    expect(short.preview.text).not.toContain('Insufficient balance');
    expect(short.preview.text).toContain('<a class="notice-action" href="/funds">Ricarica</a>');
    const ok = await place(client, 'https://www.instagram.com/p/ABCDE12345/', '25');
    expect(ok.preview.text).toContain('0,0875 €');
    expect(ok.placed).toBeGreaterThan(0);
    const list = await client.get('/orders');
    expect(list.text.match(/data-order-id=/g)?.length).toBe(1);
  });

  it('searches by id or by link with LIKE wildcards taken literally, and filters by status', async () => {
    const { client } = await customer(100_000);
    const a = await place(client, 'https://www.instagram.com/p/Under_score1/', '25');
    const b = await place(client, 'https://www.instagram.com/p/UnderXscore2/', '25');
    const rows = async (query: string) =>
      ((await client.get(`/orders?${query}`)).text.match(/data-order-id="(\d+)"/g) ?? []).length;
    expect(await rows('q=under_score')).toBe(1);
    expect(await rows('q=UNDER')).toBe(2);
    expect(await rows('q=%25')).toBe(0);
    expect(await rows(`q=${b.placed}`)).toBe(1);
    expect(await rows(`q=%23${b.placed}`)).toBe(1);
    expect(await rows('q=%231')).toBe(0); // "#1" is order 1 only (another customer's): no row
    expect(await rows('status=Pending')).toBe(2);
    expect(await rows('status=Completed')).toBe(0);
    expect(await rows('status=bogus')).toBe(2);
    expect(a.placed).toBeLessThan(b.placed ?? 0);
  });

  it('shows the refund before cancelling and books it in the ledger', async () => {
    const { client } = await customer(100_000);
    const { placed } = await place(client, 'https://www.instagram.com/p/CancelMe1/', '100');
    const preview = await client.get(`/orders/${placed}/cancel`);
    expect(preview.text).toContain('0,3500 €');
    const cancelled = await client.submit(`/orders/${placed}/cancel`, `/orders/${placed}/cancel`, {
      expected_refund: '3500',
    });
    expect(cancelled.location).toBe(`/orders/${placed}?canceled=1`);
    const again = await client.get(`/orders/${placed}/cancel`);
    expect(again.status).toBe(409);
    const ledger = await client.get('/ledger');
    expect(ledger.text).toContain('+0,3500 €');
    expect(ledger.text).toContain('10,0000 €'); // the balance after the refund
    expect((await client.get('/orders/999999/cancel')).status).toBe(404);
  });

  it("never shows or cancels another customer's order", async () => {
    const owner = await customer(100_000);
    const { placed } = await place(owner.client, 'https://www.instagram.com/p/MineOnly1/', '25');
    const other = await customer(100_000);
    expect((await other.client.get(`/orders/${placed}/cancel`)).status).toBe(404);
    const attempt = await other.client.submit('/orders', `/orders/${placed}/cancel`, {});
    expect(attempt.status).toBe(404);
    expect((await other.client.get(`/orders?q=${placed}`)).text).not.toContain(`data-order-id="${placed}"`);
  });

  it('pages the order list 20 at a time, keeping the filter', async () => {
    const { client, accountId } = await customer(1_000_000);
    for (let i = 0; i < 21; i++) {
      await placeOrder(db().ctx, {
        accountId,
        serviceId: 501,
        link: `https://www.instagram.com/p/PageTest${i}/`,
        quantity: 25,
        comments: undefined,
      });
    }
    const rows = (text: string) => (text.match(/data-order-id=/g) ?? []).length;
    const first = await client.get('/orders?status=Pending');
    expect(rows(first.text)).toBe(20);
    expect(first.text).toContain('href="/orders?status=Pending&amp;page=2"');
    const second = await client.get('/orders?status=Pending&page=2');
    expect(rows(second.text)).toBe(1);
    expect(second.text).toContain('Pagina 2 di 2');
    // An old link past the end shows the last page (one pagination rule for every list).
    const beyond = await client.get('/orders?page=99');
    expect(rows(beyond.text)).toBe(1);
    expect(beyond.text).toContain('Pagina 2 di 2');
  });

  it('sums the spending of the last 30 days for the chart', async () => {
    const { client, accountId } = await customer(100_000);
    await place(client, 'https://www.instagram.com/p/Spend1234/', '100');
    const days = await spendingByDay(db().ctx, { accountId });
    expect(days).toHaveLength(30);
    expect(days.reduce((sum, d) => sum + d.spendUnits, 0)).toBe(3500);
    const dashboard = await client.get('/dashboard');
    expect(dashboard.text).toContain('<svg');
    expect(dashboard.text).toContain('0,3500 €');
  });

  it('places nothing when the tier changed after the charge was shown, and shows the new charge', async () => {
    const { client, accountId } = await customer(2_000_000);
    // €52.50 of spend: Lite (10% off) from the next top of the hour, not before (contract §11).
    for (let i = 0; i < 3; i++) {
      await placeOrder(db().ctx, {
        accountId,
        serviceId: 501,
        link: `https://www.instagram.com/p/TierSpend${i}/`,
        quantity: 5000,
        comments: undefined,
      });
    }
    const link = 'https://www.instagram.com/p/TierChange1/';
    const shown = await client.submit('/orders/new', '/orders/preview', {
      service: '501',
      link,
      quantity: '1000',
    });
    const field = (text: string, name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(text)?.[1] ?? '';
    expect(field(shown.text, 'expected_charge')).toBe('35000');
    const fields = {
      service: '501',
      link,
      quantity: '1000',
      comments: '',
      idempotency_key: field(shown.text, 'idempotency_key'),
    };
    db().clock.advance(60 * 60 * 1000);
    const refused = await client.post('/orders', {
      ...fields,
      _csrf: field(shown.text, '_csrf'),
      expected_charge: '35000',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Il tuo livello di sconto è cambiato');
    expect(field(refused.text, 'expected_charge')).toBe('31500');
    const count = async () =>
      (await db().ctx.db.selectFrom('orders').select('id').where('account_id', '=', accountId).execute())
        .length;
    expect(await count()).toBe(3);
    const placed = await client.post('/orders', {
      ...fields,
      _csrf: field(refused.text, '_csrf'),
      expected_charge: field(refused.text, 'expected_charge'),
    });
    expect(placed.location).toMatch(/placed=\d+/);
    expect(await count()).toBe(4);
  });
});
