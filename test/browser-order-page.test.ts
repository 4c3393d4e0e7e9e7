import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { createService } from '../src/app/save-service.js';
import { LIKES_SERVICE } from './support/api-server.js';
import {
  type BrowserEnv,
  DESKTOP,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';

const PASSWORD = 'correct horse battery';
const shot = (page: Page, name: string) => screenshot(page, `order-page-${name}`);

describe('mass order and the order page in the browser', () => {
  let env: BrowserEnv;
  let email = '';
  let firstOrderId = 0;

  beforeAll(async () => {
    env = await startBrowserEnv();
    await createService(env.ctx, {
      id: 201,
      fields: {
        ...LIKES_SERVICE,
        descriptionIt: 'Mi piace da profili reali.',
        descriptionEn: 'Likes from real profiles.',
      },
      actor: 'test',
    });
    await createService(env.ctx, {
      id: 202,
      fields: {
        ...LIKES_SERVICE,
        name: 'IG Followers - Real',
        linkType: 'username',
        rateUnits: 1_234_567,
        maxQuantity: 10_000,
      },
      actor: 'test',
    });
    email = `massbuyer-${Date.now()}@example.com`;
    await createAccount(env.ctx, { email, password: PASSWORD, openingBalanceUnits: 123_456_789 });
  });
  afterAll(async () => {
    await env?.close();
  });

  async function signedIn(viewport = DESKTOP) {
    const { context, page } = await env.newPage(viewport);
    // Screenshots of full pages on a loaded two-core machine take longer than the default.
    context.setDefaultTimeout(30_000);
    const errors = watchPageErrors(page);
    await page.goto(`${env.baseUrl}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.locator('form[action="/login"] button[type="submit"]').click();
    await page.waitForURL('**/dashboard');
    return { context, page, errors };
  }

  it('previews a mass order with its refusals and total, places it once, and links each order', async () => {
    const { context, page, errors } = await signedIn();
    await page.goto(`${env.baseUrl}/orders/mass`);
    await page
      .getByLabel('Ordini, uno per riga')
      .fill(
        [
          '201|https://www.instagram.com/p/MassA1/|1000',
          '201|https://www.instagram.com/p/MassA2/|5',
          '202|someone_real|2500',
          'una riga a caso',
        ].join('\n'),
      );
    await page.getByRole('button', { name: 'Controlla le righe e il totale' }).click();
    await page.waitForURL('**/orders/mass/preview');
    // 3.50 € + 2,500 × 123.4567 €/1000 = 308.641 75 € (half up: 308.6418 €).
    expect(await page.getByTestId('mass-total').textContent()).toBe('312,1418 €');
    expect(await page.locator('tr.line-refused').count()).toBe(2);
    await shot(page, 'mass-preview');
    // A double click submits the confirmation twice: its lines are placed once.
    await page.getByRole('button', { name: /Conferma e paga 2 ordini/ }).dblclick();
    // The second submission aborts the first one's navigation: waitForURL may have latched onto
    // that one and throw ERR_ABORTED (it did once under CI's load), so wait for the result itself.
    await page.locator('a[data-order-id]').first().waitFor();
    expect(page.url()).toMatch(/\/orders\/mass\/result\?token=/);
    expect(await page.locator('a[data-order-id]').count()).toBe(2);
    await shot(page, 'mass-result');
    firstOrderId = Number(await page.locator('a[data-order-id]').first().getAttribute('data-order-id'));
    const count = await env.ctx.db.selectFrom('orders').select('id').execute();
    expect(count).toHaveLength(2);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  for (const viewport of [PHONE, DESKTOP]) {
    it(`shows the order page in both languages at ${viewport.width} px, amounts on one line`, async () => {
      await recordOrderProgress(env.ctx, {
        orderId: firstOrderId,
        deliveredQuantity: 1,
        startCount: 980,
        actor: 'test',
      });
      const { context, page, errors } = await signedIn(viewport);
      await page.goto(`${env.baseUrl}/orders`);
      await page.getByRole('link', { name: `#${firstOrderId}`, exact: true }).click();
      await page.waitForURL(`**/orders/${firstOrderId}`);
      expect(await page.getByTestId('start-count').textContent()).toBe('980');
      expect(await page.getByTestId('status-meaning').textContent()).toContain('La consegna è in corso.');
      await shot(page, 'order-page');
      await page.goto(`${env.baseUrl}/orders/${firstOrderId}?lang=en`);
      expect(await page.getByTestId('status-meaning').textContent()).toContain('Delivery is under way.');
      await shot(page, 'order-page');
      // No amount is broken across two lines.
      const heights = await page
        .locator('.money')
        .evaluateAll((spans) => spans.map((s) => s.getClientRects().length));
      expect(heights.every((rects) => rects === 1)).toBe(true);
      await page.goto(`${env.baseUrl}/orders/new?service=201`);
      expect(await page.locator('.service-card:not([hidden])').textContent()).toContain(
        'Likes from real profiles.', // the language chosen above is kept
      );
      await shot(page, 'order-form');
      await page.goto(`${env.baseUrl}/orders/mass?lang=en`);
      await shot(page, 'mass-form');
      await page.goto(`${env.baseUrl}/dashboard`);
      await shot(page, 'dashboard');
      await page.goto(`${env.baseUrl}/docs#catalog`);
      await shot(page, 'docs');
      expect(errors).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
