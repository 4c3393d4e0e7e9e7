import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { cancelOrderAsAdmin } from '../src/app/cancel-order-as-admin.js';
import { creditAccount } from '../src/app/credit-account.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { findAccountById } from '../src/storage/accounts-repository.js';
import {
  ADMIN_EMAIL,
  CUSTOMER_EMAIL,
  cookieHeader,
  expectEscaped,
  logIn,
  seedAdminWorld,
  XSS,
  XSS_LINK,
} from './support/admin-world.js';
import { type BrowserEnv, PHONE, screenshot, startBrowserEnv, watchPageErrors } from './support/browser.js';

describe('admin in the browser: guards, escaping and screenshots', () => {
  let env: BrowserEnv;
  let page: Page;
  let errors: string[];
  let customer: { id: number; apiKey: string };
  let orderId = 0;
  let xssOrderId = 0;

  beforeAll(async () => {
    env = await startBrowserEnv();
    ({ customer, orderId, xssOrderId } = await seedAdminWorld(env));
    // Some history for the pages to show: a credit with a hostile reason, a delivery, a cancel.
    await creditAccount(env.ctx, {
      accountId: customer.id,
      amountUnits: 255_000,
      reason: `bonifico ${XSS}`,
      actor: 'web:boss@example.com',
    });
    await recordOrderProgress(env.ctx, {
      orderId,
      deliveredQuantity: 300,
      startCount: 5000,
      actor: 'web:boss@example.com',
    });
    await cancelOrderAsAdmin(env.ctx, { orderId, actor: 'web:boss@example.com' });
    await addProvider(env.ctx, {
      name: 'panelone',
      url: 'https://panel.example/api/v2',
      apiKey: 'secret-key-123456',
      actor: 'web:boss@example.com',
    });
    ({ page } = await env.newPage());
    errors = watchPageErrors(page);
    await logIn(page, env.baseUrl, ADMIN_EMAIL);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('shows a hostile email, link and reason escaped on the customers, orders, queue and audit pages', async () => {
    for (const path of [
      '/admin/customers',
      `/admin/customers/${customer.id}`,
      '/admin/orders',
      '/admin/queue',
      '/admin/audit',
    ]) {
      await page.goto(`${env.baseUrl}${path}`);
      await expectEscaped(page, CUSTOMER_EMAIL);
    }
    for (const path of ['/admin/orders', '/admin/queue', `/admin/orders/${xssOrderId}`]) {
      await page.goto(`${env.baseUrl}${path}`);
      await expectEscaped(page, XSS_LINK);
    }
    await page.goto(`${env.baseUrl}/admin/audit`);
    await expectEscaped(page, `bonifico ${XSS}`);
  });

  it('refuses an admin POST without its CSRF token with 403 and changes nothing', async () => {
    const response = await fetch(`${env.baseUrl}/admin/customers/${customer.id}/status`, {
      method: 'POST',
      headers: { cookie: await cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=suspended',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect((await findAccountById(env.ctx.db, customer.id))?.status).toBe('active');
    const credit = await fetch(`${env.baseUrl}/admin/customers/${customer.id}/credit`, {
      method: 'POST',
      headers: { cookie: await cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'amount=10&reason=x&_csrf=wrong',
      redirect: 'manual',
    });
    expect(credit.status).toBe(403);
    expect((await findAccountById(env.ctx.db, customer.id))?.balance_units).toBe(1_228_750);
  });

  it('answers 403 to a customer on every admin route, GET and POST, with a valid CSRF token', async () => {
    const adminRoutes = env.routes.filter((r) => r.url === '/admin' || r.url.startsWith('/admin/'));
    // The sweep covers what the routes file registers, so a new route cannot be missed.
    expect(adminRoutes.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(11);
    expect(adminRoutes.filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(12);
    const { context, page: customerPage } = await env.newPage();
    await logIn(customerPage, env.baseUrl, CUSTOMER_EMAIL);
    expect(await customerPage.getByRole('link', { name: 'Amministrazione' }).count()).toBe(0);
    const csrf = await customerPage.locator('input[name="_csrf"]').first().inputValue();
    const cookie = await cookieHeader(customerPage);
    const before = await findAccountById(env.ctx.db, customer.id);
    for (const route of adminRoutes) {
      const url = route.url.replace(':id', String(orderId)).replace(':name', 'fakepanel');
      const response = await fetch(`${env.baseUrl}${url}`, {
        method: route.method,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        ...(route.method === 'POST'
          ? {
              body: new URLSearchParams({
                _csrf: csrf,
                status: 'active',
                amount: '100',
                reason: 'me',
                markup: '1',
              }).toString(),
            }
          : {}),
        redirect: 'manual',
      });
      expect({ route: `${route.method} ${url}`, status: response.status }).toEqual({
        route: `${route.method} ${url}`,
        status: 403,
      });
    }
    expect(await findAccountById(env.ctx.db, customer.id)).toEqual(before);
    await customerPage.goto(`${env.baseUrl}/admin/customers`);
    await screenshot(customerPage, 'admin-403-as-customer');
    await context.close();
  });

  it('sends an anonymous visitor of any admin page to the log-in page', async () => {
    const pages = env.routes.filter(
      (r) => r.method === 'GET' && (r.url === '/admin' || r.url.startsWith('/admin/')),
    );
    for (const route of pages) {
      const url = route.url.replace(':id', String(orderId));
      const response = await fetch(`${env.baseUrl}${url}`, { redirect: 'manual' });
      expect({ url, status: response.status }).toEqual({ url, status: 303 });
      expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it('shows every admin page in both languages, and some on a phone (screenshots with SCREENSHOTS=1)', async () => {
    const pages: [string, string][] = [
      ['admin-overview', '/admin'],
      ['admin-customers', '/admin/customers'],
      ['admin-customer', `/admin/customers/${customer.id}`],
      ['admin-orders', '/admin/orders'],
      ['admin-order', `/admin/orders/${orderId}`],
      ['admin-order-open', `/admin/orders/${xssOrderId}`],
      ['admin-services', '/admin/services'],
      ['admin-service-new', '/admin/services/new'],
      ['admin-service-edit', '/admin/services/201'],
      ['admin-providers', '/admin/providers'],
      ['admin-audit', '/admin/audit'],
      ['admin-queue', '/admin/queue'],
      ['admin-reports', '/admin/reports'],
      ['admin-support', '/admin/support'],
    ];
    for (const lang of ['it', 'en']) {
      for (const [name, path] of pages) {
        const response = await page.goto(
          `${env.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`,
        );
        expect(response?.status()).toBe(200);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        expect(await page.locator('script:not([src])').count()).toBe(0);
        await screenshot(page, name);
      }
    }
    const { context, page: phone } = await env.newPage(PHONE);
    await logIn(phone, env.baseUrl, ADMIN_EMAIL);
    const phonePages = pages.filter(([name]) =>
      ['admin-overview', 'admin-customer', 'admin-order', 'admin-audit', 'admin-queue'].includes(name),
    );
    for (const [name, path] of phonePages) {
      const response = await phone.goto(`${env.baseUrl}${path}?lang=it`);
      expect(response?.status()).toBe(200);
      await screenshot(phone, name);
    }
    await context.close();
    expect(errors).toEqual([]);
  }, 240_000);
});
