import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { createAccount } from '../../src/app/create-account.js';
import { createService } from '../../src/app/save-service.js';
import { postLedgerEntry } from '../../src/storage/ledger-repository.js';
import { insertOrder } from '../../src/storage/orders-repository.js';
import { callApi, LIKES_SERVICE } from './api-server.js';
import type { BrowserEnv } from './browser.js';
import { enrolSecondFactor, nextSecondFactorCode, type TestSecondFactor } from './two-factor.js';

/** The admin browser tests' world: an admin, a customer whose email is an XSS probe, two orders. */
export const XSS = '"><script>alert(1)</script>';
export const ADMIN_EMAIL = 'boss@example.com';
export const CUSTOMER_EMAIL = `client${XSS}@example.com`;
export const PASSWORD = 'correct horse battery';
export const POST_LINK = 'https://www.instagram.com/p/ABCDE12345/';
export const XSS_LINK = `https://www.instagram.com/p/${XSS}`;

/** The second factors of the world's accounts that have one (the admin), by email. */
const secondFactors = new Map<string, TestSecondFactor>();

export async function logIn(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Accedi' }).click();
  // An admin lands on the admin overview (or, without a second factor yet, on its setup), a
  // customer on their dashboard; with a second factor, the code page comes first.
  const landed = /\/(dashboard|admin|account\/two-factor)(\?|$)/;
  await page.waitForURL((url) => landed.test(url.pathname + url.search) || url.pathname === '/login/code');
  const factor = secondFactors.get(email);
  if (factor && new URL(page.url()).pathname === '/login/code') {
    await page.getByLabel('Codice').fill(nextSecondFactorCode(factor, Date.now()));
    await page.getByRole('button', { name: 'Verifica' }).click();
    await page.waitForURL((url) => landed.test(url.pathname + url.search));
  }
}

/** The cookies of a browser context as one Cookie header, for requests made outside the page. */
export async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

/** No injected element: the only scripts are our own files, and the text is on the page. */
export async function expectEscaped(page: Page, text: string) {
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.locator('main').textContent()).toContain(text);
}

export interface AdminWorld {
  customer: { id: number; apiKey: string };
  /** 1000 likes on service 201 (operator), placed through the API. */
  orderId: number;
  /** 100 likes with a link the API would refuse, stored as an old import could have. */
  xssOrderId: number;
}

export async function seedAdminWorld(env: BrowserEnv): Promise<AdminWorld> {
  const admin = await createAccount(env.ctx, { email: ADMIN_EMAIL, password: PASSWORD, role: 'admin' });
  // Admin pages need a second factor.
  secondFactors.set(ADMIN_EMAIL, await enrolSecondFactor(env.ctx, admin.id));
  const created = await createAccount(env.ctx, {
    email: CUSTOMER_EMAIL,
    password: PASSWORD,
    openingBalanceUnits: 1_000_000,
  });
  await createService(env.ctx, { id: 201, fields: LIKES_SERVICE, actor: 'test' });
  const added = await callApi(env.baseUrl, {
    key: created.apiKey,
    action: 'add',
    service: 201,
    link: POST_LINK,
    quantity: 1000,
  });
  expect(added.status).toBe(200);
  const nowMs = Date.now();
  const xssOrderId = await env.ctx.db.transaction().execute(async (trx) => {
    const id = await insertOrder(trx, {
      account_id: created.id,
      service_id: 201,
      link: XSS_LINK,
      quantity: 100,
      charge_units: 3500,
      status: 'Pending',
      remains: 100,
      created_at: nowMs,
      updated_at: nowMs,
    });
    await postLedgerEntry(trx, {
      accountId: created.id,
      kind: 'charge',
      amountUnits: -3500,
      orderId: id,
      createdAt: nowMs,
    });
    return id;
  });
  return {
    customer: { id: created.id, apiKey: created.apiKey },
    orderId: Number((added.body as { order: number }).order),
    xssOrderId,
  };
}
