import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { getServiceTimings } from '../src/app/get-service-timings.js';
import { placeOrder } from '../src/app/place-order.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { updateServiceFields } from '../src/app/save-service.js';
import { TIMING_MIN_ORDERS } from '../src/domain/service-timing.js';
import { getBalanceUnits } from '../src/storage/accounts-repository.js';
import { findService } from '../src/storage/services-repository.js';
import { createTestService, LIKES_SERVICE } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { startWebServer, WebClient } from './support/web-client.js';

const PASSWORD = 'correct horse battery';
const POST = (code: string) => `https://www.instagram.com/p/${code}/`;
const MINUTE = 60_000;
let counter = 0;

describeEachDatabase('web order page, mass order and average time', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 601); // 3.5 € per 1000, 25–5000, operator
    await createTestService(db(), { name: 'IG Followers', linkType: 'username', minQuantity: 50 }, 602);
    await createTestService(db(), { name: 'IG Comments', type: 'Custom Comments', minQuantity: 1 }, 603);
  });
  afterAll(() => stop());

  /** A customer made by the operator path (create-account), signed in on the web. */
  async function customer(balanceUnits: number) {
    const email = `orderpage${++counter}-${Date.now()}@example.com`;
    const created = await createAccount(db().ctx, {
      email,
      password: PASSWORD,
      openingBalanceUnits: balanceUnits,
    });
    const client = new WebClient(baseUrl);
    expect((await client.submit('/login', '/login', { email, password: PASSWORD })).status).toBe(303);
    return { client, accountId: created.id };
  }

  const field = (text: string, name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(text)?.[1]?.replaceAll('&#39;', "'") ?? '';
  const orderCount = async (accountId: number) =>
    (await db().ctx.db.selectFrom('orders').select('id').where('account_id', '=', accountId).execute())
      .length;

  it('previews valid and invalid lines with their refusals and the total, places each once', async () => {
    const { client, accountId } = await customer(20_000); // 2 €
    const lines = [
      `601|${POST('Mass1')}|100`, // 0.35 €
      `601|${POST('Mass2')}|10`, // below the minimum
      'just some words',
      `999|${POST('Mass3')}|100`, // no such service
      `602|someuser|100`, // 0.35 €
      `601|@someuser|100`, // not a post URL
      `601|${POST('Mass4')}|5000`, // 17.50 €: more than the balance left
    ].join('\n');
    const preview = await client.submit('/orders/mass', '/orders/mass/preview', { lines });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('La quantità deve essere tra 25 e 5.000.');
    expect(preview.text).toContain('Scrivi la riga come servizio|link|quantità');
    expect(preview.text).toContain('Scegli un servizio attivo.');
    expect(preview.text).toContain('Questo servizio richiede l’URL di un post');
    expect(preview.text).toContain('Saldo insufficiente: servono 17,5000 €, disponibili 1,3000 €.');
    expect(/data-testid="mass-total"><span class="money">([^<]+)</.exec(preview.text)?.[1]).toBe('0,7000 €');
    expect(field(preview.text, 'charges')).toBe('1:3500,5:3500');
    expect(await orderCount(accountId)).toBe(0); // a preview writes nothing

    const confirm = {
      _csrf: field(preview.text, '_csrf'),
      lines: field(preview.text, 'lines'),
      token: field(preview.text, 'token'),
      charges: field(preview.text, 'charges'),
    };
    const placed = await client.post('/orders/mass', confirm);
    expect(placed.status).toBe(303);
    const result = await client.get(placed.location ?? '');
    expect(result.status).toBe(200);
    const ids = [...result.text.matchAll(/data-order-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(2);
    expect(result.text).toContain('2 ordini piazzati per 0,7000 €, 5 righe rifiutate.');
    expect(result.text).toContain(`href="/orders/${ids[0]}"`);

    // A double submit places nothing more and shows the same result.
    const again = await client.post('/orders/mass', confirm);
    expect(again.location).toBe(`${placed.location}&again=1`);
    const second = await client.get(again.location ?? '');
    expect([...second.text.matchAll(/data-order-id="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(ids);
    expect(second.text).toContain('era già stato confermato');
    expect(await orderCount(accountId)).toBe(2);
    expect(await getBalanceUnits(db().ctx.db, accountId)).toBe(13_000);
    // Another customer cannot read this result.
    const other = await customer(0);
    expect((await other.client.get(placed.location ?? '')).status).toBe(404);
    await expectLedgerOk(db());
  });

  it('places a double submit once even when both arrive together', async () => {
    const { client, accountId } = await customer(100_000);
    const lines = Array.from({ length: 5 }, (_, i) => `601|${POST(`Twin${i}`)}|100`).join('\n');
    const preview = await client.submit('/orders/mass', '/orders/mass/preview', { lines });
    const confirm = {
      _csrf: field(preview.text, '_csrf'),
      lines: field(preview.text, 'lines'),
      token: field(preview.text, 'token'),
      charges: field(preview.text, 'charges'),
    };
    const [a, b] = await Promise.all([
      client.post('/orders/mass', confirm),
      client.post('/orders/mass', confirm),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await orderCount(accountId)).toBe(5);
    expect(await getBalanceUnits(db().ctx.db, accountId)).toBe(100_000 - 5 * 3500);
    await expectLedgerOk(db());
  });

  it('refuses more than 100 lines and an empty text, in English too, placing nothing', async () => {
    const { client, accountId } = await customer(10_000_000);
    const tooMany = Array.from({ length: 101 }, (_, i) => `601|${POST(`Many${i}`)}|25`).join('\n');
    const refused = await client.submit('/orders/mass', '/orders/mass/preview', { lines: tooMany });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Troppi ordini in una richiesta (massimo 100).');
    const english = await client.submit('/orders/mass?lang=en', '/orders/mass/preview?lang=en', {
      lines: ' \n ',
    });
    expect(english.status).toBe(400);
    expect(english.text).toContain('Write at least one service|link|quantity line.');
    // A forged confirmation of 101 lines is refused the same way.
    const forged = await client.submit('/orders/mass', '/orders/mass', {
      lines: tooMany,
      token: 'a'.repeat(32),
      charges: '1:875',
    });
    expect(forged.status).toBe(400);
    expect(await orderCount(accountId)).toBe(0);
  });

  it("shows the owner's order with its facts, comments and ledger; another customer gets 404", async () => {
    const { client, accountId } = await customer(100_000);
    const { orderId } = await placeOrder(db().ctx, {
      accountId,
      serviceId: 601,
      link: POST('Detail1'),
      quantity: 200,
      comments: undefined,
    });
    await recordOrderProgress(db().ctx, { orderId, deliveredQuantity: 50, startCount: 1234, actor: 'test' });
    const page = await client.get(`/orders/${orderId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Ordine #${orderId}`);
    expect(page.text).toContain('data-testid="start-count">1.234<');
    expect(page.text).toContain('data-testid="delivered">50<');
    expect(page.text).toContain('data-testid="remains">150<');
    expect(page.text).toContain('data-testid="charge"><span class="money">0,7000 €<');
    expect(page.text).toContain('La consegna è in corso.');
    expect(page.text).toContain(`Ordine #${orderId}</td>`); // its charge in the ledger, worded
    expect(page.text).toContain('-0,7000 €');
    expect(page.text).toContain('Ordina di nuovo');
    const english = await client.get(`/orders/${orderId}?lang=en`);
    expect(english.text).toContain('Delivery is under way.');
    expect(english.text).toContain('Start count');

    const other = await customer(0);
    expect((await other.client.get(`/orders/${orderId}`)).status).toBe(404);
    expect((await client.get('/orders/99999999')).status).toBe(404);
    expect((await client.get('/orders/abc')).status).toBe(404);
    // Ids link to the page from the orders list and the ledger.
    expect((await client.get('/orders')).text).toContain(`href="/orders/${orderId}"`);
    expect((await client.get('/ledger')).text).toContain(`href="/orders/${orderId}"`);
  });

  it('cancels from the order page and says what was actually refunded', async () => {
    const { client, accountId } = await customer(100_000);
    const { orderId } = await placeOrder(db().ctx, {
      accountId,
      serviceId: 601,
      link: POST('CancelPage1'),
      quantity: 100,
      comments: undefined,
    });
    const detail = await client.get(`/orders/${orderId}`);
    expect(detail.text).toContain(`href="/orders/${orderId}/cancel"`);
    const preview = await client.get(`/orders/${orderId}/cancel`);
    expect(field(preview.text, 'expected_refund')).toBe('3500');
    // A delivery lands between the preview and the confirmation: the refund is lower.
    await recordOrderProgress(db().ctx, { orderId, deliveredQuantity: 40, actor: 'test' });
    const cancelled = await client.post(`/orders/${orderId}/cancel`, {
      _csrf: field(preview.text, '_csrf'),
      expected_refund: '3500',
    });
    expect(cancelled.location).toBe(`/orders/${orderId}?canceled=1&shown=3500`);
    const after = await client.get(cancelled.location ?? '');
    expect(after.text).toContain('Ordine annullato: rimborsati 0,1050 €.');
    expect(after.text).toContain('ti avevamo mostrato 0,3500 €, il rimborso effettivo è 0,1050 €');
    expect(after.text).toContain('data-ledger-kind="refund"');
    expect(after.text).not.toContain(`href="/orders/${orderId}/cancel"`);
    await expectLedgerOk(db());
  });

  it('fills the order form from "order again" and shows the balance and the comments to confirm', async () => {
    const { client, accountId } = await customer(55_000);
    const { orderId } = await placeOrder(db().ctx, {
      accountId,
      serviceId: 602,
      link: 'againuser',
      quantity: 75,
      comments: undefined,
    });
    const detail = await client.get(`/orders/${orderId}`);
    const form = await client.post('/orders/edit', {
      _csrf: field(detail.text, '_csrf'),
      service: '602',
      link: 'againuser',
      quantity: '75',
    });
    expect(form.text).toContain('value="againuser"');
    expect(form.text).toContain('value="75"');
    // Service 602 is the one chosen, whatever other data-* attributes its option carries (e.g. data-dripfeed).
    const option602 = /<option value="602"[^>]*>/.exec(form.text)?.[0] ?? '';
    expect(option602).toContain(' data-category="Likes"');
    expect(option602).toContain(' data-type="Default"');
    expect(option602).toMatch(/ selected>$/);
    expect(form.text).toContain('Saldo disponibile: 5,2375 €');
    const comments = await client.submit('/orders/new', '/orders/preview', {
      service: '603',
      link: POST('Comments1'),
      comments: 'Bellissimo!\n\n<b>Wow</b>\nTop',
    });
    expect(comments.status).toBe(200);
    expect(comments.text).toContain('<dt>Commenti (3)</dt>');
    expect(comments.text).toContain('<li>Bellissimo!</li><li>&lt;b&gt;Wow&lt;/b&gt;</li><li>Top</li>');
  });

  it('measures the median time to completion per band, with "not enough data" below the threshold', async () => {
    const service = await createTestService(db(), { name: 'Timed Likes', maxQuantity: 20_000 });
    const { accountId, client } = await customer(10_000_000);
    const minutes = [10, 30, 20, 50, 40]; // median 30
    for (const [i, m] of minutes.entries()) {
      const { orderId } = await placeOrder(db().ctx, {
        accountId,
        serviceId: service.id,
        link: POST(`Timed${i}`),
        quantity: 100,
        comments: undefined,
      });
      db().clock.advance(m * MINUTE);
      await recordOrderProgress(db().ctx, { orderId, deliveredQuantity: 100, actor: 'test' });
      db().clock.advance(-m * MINUTE);
    }
    // One large order: a band of its own, below the threshold.
    const large = await placeOrder(db().ctx, {
      accountId,
      serviceId: service.id,
      link: POST('TimedLarge'),
      quantity: 12_000,
      comments: undefined,
    });
    db().clock.advance(5 * 60 * MINUTE);
    await recordOrderProgress(db().ctx, { orderId: large.orderId, deliveredQuantity: 12_000, actor: 'test' });
    const row = await findService(db().ctx.db, service.id);
    if (!row) throw new Error('no service');
    const timings = (await getServiceTimings(db().ctx, { services: [row] })).get(service.id);
    expect(timings?.map((t) => [t.band.id, t.orderCount, t.medianMs])).toEqual([
      ['small', 5, 30 * MINUTE],
      ['medium', 0, undefined],
      ['large', 1, undefined],
    ]);
    expect(TIMING_MIN_ORDERS).toBe(5);
    const docs = await client.get('/docs');
    expect(docs.text).toContain('≈ 30 min');
    expect(docs.text).toContain('dati non ancora sufficienti (1 di 5 ordini completati)');
    expect(docs.text).toContain('ultimi 100 ordini completati');
    const docsEn = await client.get('/docs?lang=en');
    expect(docsEn.text).toContain('not enough data yet (0 of 5 completed orders)');
    const form = await client.get(`/orders/new?service=${service.id}&lang=en`);
    expect(form.text).toContain('≈ 30 min');
  });

  it('shows the operator’s description in the page’s language, falling back to the other', async () => {
    const service = await createTestService(db(), { name: 'Described Likes' });
    const fields = { ...LIKES_SERVICE, name: 'Described Likes' };
    await updateServiceFields(db().ctx, {
      id: service.id,
      fields: {
        ...fields,
        descriptionIt: 'Mi piace da profili reali.',
        descriptionEn: 'Likes from real profiles.',
      },
      actor: 'test',
    });
    const { client } = await customer(0);
    expect((await client.get('/docs')).text).toContain('Mi piace da profili reali.');
    expect((await client.get('/docs?lang=en')).text).toContain('Likes from real profiles.');
    expect((await client.get(`/orders/new?service=${service.id}&lang=en`)).text).toContain(
      'Likes from real profiles.',
    );
    await updateServiceFields(db().ctx, {
      id: service.id,
      fields: { ...fields, descriptionIt: 'Solo in italiano.', descriptionEn: '' },
      actor: 'test',
    });
    expect((await client.get('/docs?lang=en')).text).toContain('Solo in italiano.');
    const tooLong = updateServiceFields(db().ctx, {
      id: service.id,
      fields: { ...fields, descriptionEn: 'x'.repeat(1001) },
      actor: 'test',
    });
    await expect(tooLong).rejects.toMatchObject({ code: 'service_description_invalid' });
  });
});
