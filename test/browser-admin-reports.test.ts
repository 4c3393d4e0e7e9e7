import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { importProviderServices } from '../src/app/import-provider-services.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { setServiceCost } from '../src/app/set-service-cost.js';
import { syncProviderNow } from '../src/app/sync-provider-now.js';
import { findProviderByName } from '../src/storage/providers-repository.js';
import { ADMIN_EMAIL, cookieHeader, expectEscaped, logIn, seedAdminWorld } from './support/admin-world.js';
import {
  type BrowserEnv,
  DESKTOP,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';
import { placeTestOrder, testSettings, testWorker } from './support/engine.js';
import { FakeProvider } from './support/fake-provider.js';

const KEY = 'browser-report-key-0123456789abcdef';

/** Nothing wider than the viewport: no sideways scrolling of the page, no table cut off. */
async function expectNoOverflow(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  const cut = await page.evaluate(
    () =>
      [...document.querySelectorAll('.table-wrap')].filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
        .length,
  );
  expect(cut).toBe(0);
  // Nor anything sticking out of its card (a status badge that does not wrap).
  const sticking = await page.evaluate(
    () =>
      [...document.querySelectorAll('.card')].filter((card) => card.scrollWidth > card.clientWidth + 1)
        .length,
  );
  expect(sticking).toBe(0);
}

/** A provider's terms and "sync now" sit in a closed <details>: opened as the operator would. */
async function openTerms(page: Page, provider: string) {
  await page.locator(`#marginFloor-${provider}`).waitFor({ state: 'attached' });
  await page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });
}

async function bodyText(page: Page): Promise<string> {
  return ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
}

describe('the reports page and the provider sync in the browser', () => {
  let env: BrowserEnv;
  const upstream = new FakeProvider(KEY);
  let orderId = 0;

  beforeAll(async () => {
    env = await startBrowserEnv();
    const world = await seedAdminWorld(env);
    await upstream.start();
    upstream.services = [
      {
        service: 61,
        name: 'Likes (fast)',
        category: 'Instagram Likes',
        rate: '1.00',
        min: 10,
        max: 10000,
      },
    ];
    await addProvider(env.ctx, { name: 'viewsupply', url: upstream.url, apiKey: KEY, actor: 'test' });
    // A provider that answers nothing: the overview says it could not be reached.
    await addProvider(env.ctx, {
      name: 'gone-panel',
      url: 'http://127.0.0.1:9/api/v2',
      apiKey: KEY,
      actor: 'test',
    });
    const imported = await importProviderServices(env.ctx, {
      provider: 'viewsupply',
      markup: '30',
      timeoutMs: 2000,
      actor: 'test',
    });
    const upstreamServiceId = imported.created[0] ?? 0;
    // Our own service: 30 of 1000 delivered at 2.0000 per 1000.
    await setServiceCost(env.ctx, { serviceId: 201, costPer1000Units: 20_000, actor: 'test' });
    await recordOrderProgress(env.ctx, { orderId: world.orderId, deliveredQuantity: 30, actor: 'test' });
    // An upstream order the provider charges more for than we do: a service losing money.
    orderId = await placeTestOrder(env.ctx, {
      accountId: world.customer.id,
      serviceId: upstreamServiceId,
      link: 'https://www.instagram.com/p/Report0001/',
      quantity: 1000,
    });
    const worker = testWorker(
      env.ctx,
      testSettings({ upstream: { timeoutMs: 2000, pollMs: 60_000, giveUpMs: 60_000, retryBaseMs: 0 } }),
    );
    await worker.runOnce(10);
    // Due again at once, so the next round polls it (the worker's clock is the real one).
    await env.ctx.db.updateTable('orders').set({ next_run_at: 0 }).where('id', '=', orderId).execute();
    const placed = upstream.orderFor(orderId);
    if (!placed) throw new Error('the upstream never got the order');
    placed.entry = {
      status: 'In progress',
      remains: '400',
      start_count: '7',
      charge: '2.50',
      currency: 'EUR',
    };
    await worker.runOnce(10);
    // The provider raised its price past the margin floor: the sync pauses our service.
    upstream.services = [
      {
        service: 61,
        name: 'Likes (fast)',
        category: 'Instagram Likes',
        rate: '1.25',
        min: 10,
        max: 10000,
      },
    ];
    for (const name of ['viewsupply', 'gone-panel']) {
      await syncProviderNow(env.ctx, { name, owner: 'test', timeoutMs: 2000 });
    }
  }, 300_000);
  afterAll(async () => {
    await upstream.stop();
    await env?.close();
  });

  it('Italian on a phone: the report with its words, no sideways scrolling, a CSV per table', async () => {
    const { page } = await env.newPage(PHONE);
    const errors = watchPageErrors(page);
    await logIn(page, env.baseUrl, ADMIN_EMAIL);
    await page.goto(`${env.baseUrl}/admin/reports?lang=it`);
    await page.getByTestId('report-net').waitFor();
    const text = await bodyText(page);
    for (const word of [
      'Addebito netto',
      'Costo',
      'Margine',
      'Ricavi',
      'Servizi in perdita',
      'Consegna interna',
    ])
      expect(text).toContain(word);
    expect(text).not.toMatch(/Net charge|Revenue|\bMargin\b|\bCost\b|Refunds/);
    expect(await page.getByTestId('report-orders').textContent()).toBe('3');
    expect(await page.getByTestId('report-losing').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('report-cost').textContent()).toBe('2,5000 €');
    await expectEscaped(page, '"><script>');
    await expectNoOverflow(page, PHONE.width);
    await screenshot(page, 'admin-reports');
    const href = await page.getByTestId('csv-services').getAttribute('href');
    const csv = await fetch(`${env.baseUrl}${href}`, { headers: { cookie: await cookieHeader(page) } });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toBe(
      'key,label,orders,revenue,refunds,net_charge,cost,margin',
    );
    expect(errors).toEqual([]);
  });

  it('Italian on a phone: the order page names net charge, cost and margin', async () => {
    const { page } = await env.newPage(PHONE);
    await logIn(page, env.baseUrl, ADMIN_EMAIL);
    await page.goto(`${env.baseUrl}/admin/orders/${orderId}?lang=it`);
    expect(await page.getByTestId('net-charge').textContent()).toBe('1,3000 €');
    expect(await page.getByTestId('cost').textContent()).toBe('2,5000 €');
    expect(await page.getByTestId('margin').textContent()).toBe('-1,2000 €');
    const text = await bodyText(page);
    expect(text).toContain('Addebito netto');
    expect(text).not.toMatch(/\bCost\b|Net charge|Margin\b/);
    await expectNoOverflow(page, PHONE.width);
    await screenshot(page, 'admin-order-cost');
  });

  it('Italian on a phone: the overview’s sync section, the provider terms and “Sincronizza ora”', async () => {
    const { page } = await env.newPage(PHONE);
    const errors = watchPageErrors(page);
    await logIn(page, env.baseUrl, ADMIN_EMAIL);
    await page.goto(`${env.baseUrl}/admin?lang=it`);
    const overview = await bodyText(page);
    expect(overview).toContain('Sincronizzazione dei fornitori');
    expect(overview).toContain('non raggiungibile all’ultima sincronizzazione');
    expect(overview).toContain('sospeso: il fornitore chiede');
    await expectNoOverflow(page, PHONE.width);
    await screenshot(page, 'admin-overview-sync');

    await page.goto(`${env.baseUrl}/admin/providers?lang=it`);
    await openTerms(page, 'viewsupply');
    await page.locator('#marginFloor-viewsupply').fill('15');
    await page.locator('#onLowMargin-viewsupply').selectOption('reprice');
    await page.locator('#eurRate-viewsupply').fill('0.95');
    await page
      .locator('form[action="/admin/providers/viewsupply/settings"]')
      .getByRole('button', { name: 'Salva' })
      .click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Condizioni salvate.');
    const provider = await findProviderByName(env.ctx.db, 'viewsupply');
    expect(provider).toMatchObject({
      margin_floor_basis_points: 1500,
      on_low_margin: 'reprice',
      eur_rate_micros: 950_000,
    });
    await openTerms(page, 'viewsupply');
    await page
      .locator('form[action="/admin/providers/viewsupply/sync"]')
      .getByRole('button', { name: 'Sincronizza ora' })
      .click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Sincronizzazione eseguita.');
    await expectNoOverflow(page, PHONE.width);
    await screenshot(page, 'admin-providers-sync');
    expect(errors).toEqual([]);
  });

  describe('English on a desktop', () => {
    let page: Page;
    beforeAll(async () => {
      ({ page } = await env.newPage(DESKTOP));
      await logIn(page, env.baseUrl, ADMIN_EMAIL);
    });

    it('the report, in English words only, without sideways scrolling at 1280 px', async () => {
      await page.goto(`${env.baseUrl}/admin/reports?lang=en`);
      const text = await bodyText(page);
      for (const word of ['Net charge', 'Cost', 'Margin', 'Revenue', 'Services losing money', 'Own delivery'])
        expect(text).toContain(word);
      for (const italian of ['Addebito', 'Costo', 'Margine', 'Ricavi', 'Rimborsi'])
        expect(text).not.toContain(italian);
      expect(await page.getByTestId('report-cost').textContent()).toBe('€2.5000');
      await expectNoOverflow(page, DESKTOP.width);
      await screenshot(page, 'admin-reports');
    });

    it('the overview’s sync section and the provider settings, with “Sync now”', async () => {
      await page.goto(`${env.baseUrl}/admin?lang=en`);
      const overview = await bodyText(page);
      expect(overview).toContain('Provider sync');
      expect(overview).not.toContain('Sincronizzazione');
      await expectNoOverflow(page, DESKTOP.width);
      await screenshot(page, 'admin-overview-sync');
      await page.goto(`${env.baseUrl}/admin/providers?lang=en`);
      await openTerms(page, 'gone-panel');
      await page.locator('form[action="/admin/providers/gone-panel/sync"] button').click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/could not be reached|unreachable/i);
      expect(await bodyText(page)).not.toMatch(/Condizioni|Sincronizza|Salva\b/);
      await expectNoOverflow(page, DESKTOP.width);
      await screenshot(page, 'admin-providers-sync');
    });
  });
});
