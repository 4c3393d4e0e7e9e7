import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { createService } from '../src/app/save-service.js';
import { callApi, LIKES_SERVICE } from './support/api-server.js';
import {
  type BrowserEnv,
  DESKTOP,
  FLOW_RUNS,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';
import { enrolSecondFactor, nextSecondFactorCode, type TestSecondFactor } from './support/two-factor.js';

const PASSWORD = 'correct horse battery';
const TEXT = {
  it: {
    login: 'Accedi',
    send: 'Invia la richiesta',
    reply: 'Invia',
    close: 'Chiudi la richiesta',
    answered: 'Risposta',
  },
  en: {
    login: 'Log in',
    send: 'Send the request',
    reply: 'Send',
    close: 'Close the request',
    answered: 'Answered',
  },
} as const;

const shot = (page: Page, name: string) => screenshot(page, `desk-${name}`);

/** Email and password; for an account with a second factor (the admin), then its code. */
async function logIn(
  page: Page,
  baseUrl: string,
  email: string,
  lang: 'it' | 'en',
  factor?: TestSecondFactor,
) {
  await page.goto(`${baseUrl}/login?lang=${lang}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: TEXT[lang].login }).click();
  if (!factor) return;
  await page.waitForURL('**/login/code');
  await page.locator('#code').fill(nextSecondFactorCode(factor, Date.now()));
  await page.locator('form[action="/login/code"] button[type="submit"]').click();
}

/** No horizontal scrolling: the page is no wider than the window. */
async function expectNoSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe('support desk in the browser', () => {
  let env: BrowserEnv;
  const adminEmail = 'desk-boss@example.com';
  let apiKey = '';
  let adminFactor: TestSecondFactor;
  beforeAll(async () => {
    env = await startBrowserEnv();
    const admin = await createAccount(env.ctx, { email: adminEmail, password: PASSWORD, role: 'admin' });
    // Admin pages need a second factor.
    adminFactor = await enrolSecondFactor(env.ctx, admin.id);
    await createService(env.ctx, { id: 201, fields: LIKES_SERVICE, actor: 'test' });
    const owner = await createAccount(env.ctx, {
      email: 'queue-owner@example.com',
      password: PASSWORD,
      openingBalanceUnits: 1_000_000,
    });
    apiKey = owner.apiKey;
    // A long link in the operator's queue: it must wrap at its slashes.
    const link = 'https://www.instagram.com/p/C9xYz12AbCdEf/?igsh=MWQ1ZGUxMzBkMA==';
    expect(
      (await callApi(env.baseUrl, { key: apiKey, action: 'add', service: 201, link, quantity: 1000 })).status,
    ).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  // The pages the flow ends on are also checked at the other width.
  for (const [lang, viewport] of FLOW_RUNS) {
    it(`a customer opens a ticket, the operator answers and closes it (${lang}, ${viewport.width}px)`, async () => {
      const email = `desk-${lang}-${viewport.width}@example.com`;
      await createAccount(env.ctx, { email, password: PASSWORD, openingBalanceUnits: 250_000 });
      const customer = await env.newPage(viewport);
      const errors = watchPageErrors(customer.page);
      await logIn(customer.page, env.baseUrl, email, lang);
      await customer.page.waitForURL('**/dashboard');
      await customer.page.goto(`${env.baseUrl}/support`);
      await customer.page
        .getByLabel(lang === 'it' ? 'Oggetto' : 'Subject')
        .fill('<script>alert(1)</script> likes');
      await customer.page.locator('#message').fill('Dove sono\ni miei like?');
      await customer.page.getByRole('button', { name: TEXT[lang].send }).click();
      await customer.page.waitForURL(/\/support\/\d+\?done=opened$/);
      const ticketPath = new URL(customer.page.url()).pathname;
      expect(await customer.page.locator('h1').textContent()).toContain('<script>alert(1)</script> likes');
      await shot(customer.page, 'ticket-customer');

      const operator = await env.newPage(viewport);
      const operatorErrors = watchPageErrors(operator.page);
      await logIn(operator.page, env.baseUrl, adminEmail, lang, adminFactor);
      await operator.page.waitForURL('**/admin');
      await operator.page.goto(`${env.baseUrl}/admin/support`);
      expect(await operator.page.locator('.admin-nav .nav-count').count()).toBe(1);
      await shot(operator.page, 'admin-desk');
      await operator.page.goto(`${env.baseUrl}/admin${ticketPath}`);
      await operator.page.locator('#message').fill('Arrivano oggi.');
      await operator.page.getByRole('button', { name: TEXT[lang].reply, exact: true }).click();
      await operator.page.waitForURL(/done=sent$/);
      await shot(operator.page, 'admin-ticket');

      await customer.page.goto(`${env.baseUrl}/support`);
      expect(await customer.page.locator('.nav-list .nav-count').first().textContent()).toContain('1');
      await shot(customer.page, 'desk-customer');
      await customer.page.goto(`${env.baseUrl}${ticketPath}`);
      expect(await customer.page.locator('.badge-ticket-answered').textContent()).toBe(TEXT[lang].answered);
      expect(await customer.page.locator('.ticket-message-staff').textContent()).toContain('Arrivano oggi.');
      await customer.page.getByRole('button', { name: TEXT[lang].close }).click();
      await customer.page.waitForURL(/done=closed$/);
      expect(await customer.page.locator('.badge-ticket-closed').count()).toBe(1);
      for (const width of [viewport, viewport === PHONE ? DESKTOP : PHONE]) {
        for (const { page } of [customer, operator]) {
          await page.setViewportSize(width);
          await expectNoSideScroll(page);
        }
      }
      expect(errors).toEqual([]);
      expect(operatorErrors).toEqual([]);
      await customer.context.close();
      await operator.context.close();
    }, 60_000);
  }

  it('shows the operator queue at 1280 px with the record action in view and the admin header on one line', async () => {
    const { context, page } = await env.newPage(DESKTOP);
    await logIn(page, env.baseUrl, adminEmail, 'it', adminFactor);
    await page.waitForURL('**/admin');
    // The language switch stays on the header's first line, beside the brand.
    const brand = await page.locator('.brand').boundingBox();
    const langSwitch = await page.locator('.lang-switch').boundingBox();
    expect(Math.abs((langSwitch?.y ?? 999) - (brand?.y ?? 0))).toBeLessThan(20);
    await shot(page, 'admin-header');
    await page.goto(`${env.baseUrl}/admin/queue`);
    await shot(page, 'admin-queue');
    const button = await page.locator('tr[data-order-id] button').first().boundingBox();
    expect((button?.x ?? 9999) + (button?.width ?? 0)).toBeLessThanOrEqual(DESKTOP.width);
    await expectNoSideScroll(page);
    const wrap = await page
      .locator('.table-wrap')
      .first()
      .evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(wrap).toBeLessThanOrEqual(0);
    await context.close();
  }, 60_000);

  it('lets a suspended customer sign in to the desk and see the balance (390 px)', async () => {
    const email = 'desk-suspended@example.com';
    const account = await createAccount(env.ctx, { email, password: PASSWORD, openingBalanceUnits: 123_400 });
    const { setAccountStatus } = await import('../src/app/set-account-status.js');
    await setAccountStatus(env.ctx, { accountId: account.id, status: 'suspended', actor: 'test' });
    const { context, page } = await env.newPage(PHONE);
    await logIn(page, env.baseUrl, email, 'it');
    await page.waitForURL('**/support');
    expect(await page.locator('.support-balance').textContent()).toContain('12,34');
    await shot(page, 'suspended-desk');
    await context.close();
  }, 60_000);
});
