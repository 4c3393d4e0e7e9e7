import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditAccount } from '../src/app/credit-account.js';
import { createService } from '../src/app/save-service.js';
import { findAccountByEmail } from '../src/storage/accounts-repository.js';
import { LIKES_SERVICE } from './support/api-server.js';
import {
  ARE_SCREENSHOTS_TAKEN,
  type BrowserEnv,
  DESKTOP,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';
import { verifyAndLogInInBrowser } from './support/customers.js';

/** The order form offers runs and interval on a drip-feed service only, and shows the total. */
describe('drip-feed in the browser', () => {
  let env: BrowserEnv;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    env = await startBrowserEnv();
    await createService(env.ctx, { id: 201, fields: { ...LIKES_SERVICE, isDripfeed: true }, actor: 'test' });
    await createService(env.ctx, {
      id: 202,
      fields: { ...LIKES_SERVICE, name: 'IG Likes - Plain' },
      actor: 'test',
    });
    ({ page } = await env.newPage(DESKTOP));
    errors = watchPageErrors(page);
    await page.goto(`${env.baseUrl}/signup`);
    await page.getByLabel('Email').fill('drip-browser@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Crea account' }).click();
    // A web sign-up verifies its address first, then logs in and lands on the dashboard.
    await verifyAndLogInInBrowser(page, {
      baseUrl: env.baseUrl,
      ctx: env.ctx,
      email: 'drip-browser@example.com',
      password: 'correct horse battery',
    });
    const account = await findAccountByEmail(env.ctx.db, 'drip-browser@example.com');
    await creditAccount(env.ctx, {
      accountId: account?.id ?? 0,
      amountUnits: 1_000_000,
      reason: 'test',
      actor: 'test',
    });
  });
  afterAll(async () => {
    await env?.close();
  });

  const shoot = async (name: string) => {
    if (!ARE_SCREENSHOTS_TAKEN) return;
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      await screenshot(page, `drip-${name}`);
    }
  };

  it('Italian: runs and interval appear for the drip-feed service only; the total is confirmed', async () => {
    await page.goto(`${env.baseUrl}/orders/new?lang=it`);
    await page.getByLabel('Servizio').selectOption('202');
    expect(await page.locator('#dripfeed-field').isHidden()).toBe(true);
    await page.getByLabel('Servizio').selectOption('201');
    expect(await page.locator('#dripfeed-field').isVisible()).toBe(true);
    await page.getByLabel('Link').fill('https://www.instagram.com/p/DripWeb001/');
    await page.getByLabel('Quantità', { exact: true }).fill('100');
    await page.getByLabel('Turni (2–100)').fill('101');
    await page.getByLabel('Intervallo tra i turni (minuti, 1–1440)').fill('30');
    await page.getByRole('button', { name: 'Calcola il costo' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Il numero di turni deve essere tra 2 e 100.');
    await page.getByLabel('Turni (2–100)').fill('10');
    await shoot('order-form');
    await page.getByRole('button', { name: 'Calcola il costo' }).click();
    await page.waitForURL('**/orders/preview');
    expect(await page.getByTestId('total-quantity').textContent()).toBe('1.000');
    // 1000 at 3,5000 € per 1000.
    expect(await page.getByTestId('charge').textContent()).toBe('3,5000 €');
    await shoot('order-confirm');
    await page.getByRole('button', { name: 'Conferma e paga' }).click();
    await page.waitForURL(/\/orders\?placed=\d+/);
    expect(await page.getByTestId('run-of').first().textContent()).toBe('turno 1 di 10');
    await shoot('orders');
  });

  it('English: the same words in English', async () => {
    await page.goto(`${env.baseUrl}/orders/new?lang=en&service=201`);
    expect(await page.getByLabel('Runs (2–100)').isVisible()).toBe(true);
    expect(await page.getByLabel('Interval between runs (minutes, 1–1440)').isVisible()).toBe(true);
    await shoot('order-form');
    await page.goto(`${env.baseUrl}/orders?lang=en`);
    expect(await page.getByTestId('run-of').first().textContent()).toBe('run 1 of 10');
    await shoot('orders');
    expect(errors).toEqual([]);
  });
});
