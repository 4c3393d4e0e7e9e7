import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../src/storage/accounts-repository.js';
import type { PaymentRow } from '../src/storage/schema.js';
import { ADMIN_EMAIL, expectEscaped, logIn, seedAdminWorld } from './support/admin-world.js';
import {
  type BrowserEnv,
  DESKTOP,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';
import { camtStatement, pendingTransfer } from './support/payments-world.js';

describe('admin payments in the browser', () => {
  let env: BrowserEnv;
  let page: Page;
  let errors: string[];
  let customerId = 0;
  const transfers: PaymentRow[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv();
    ({
      customer: { id: customerId },
    } = await seedAdminWorld(env));
    for (const units of [500_000, 200_000, 300_000, 1_000_000]) {
      transfers.push(await pendingTransfer(env.ctx, customerId, units));
    }
    ({ page } = await env.newPage(DESKTOP));
    errors = watchPageErrors(page);
    await logIn(page, env.baseUrl, ADMIN_EMAIL);
  });
  afterAll(async () => {
    await env?.close();
  });

  const balance = async () => Number((await findAccountById(env.ctx.db, customerId))?.balance_units);

  async function confirmWithAmount(transfer: PaymentRow, amount: string, button: string) {
    await page.locator(`tr[data-payment-id="${transfer.id}"] a`).first().click();
    await page.waitForURL(`**/admin/payments/${transfer.id}`);
    await page.locator('#amount').fill(amount);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(`**/admin/payments/${transfer.id}?done=confirm*`);
  }

  it('confirms a pending transfer with the amount received, in Italian', async () => {
    await page.goto(`${env.baseUrl}/admin?lang=it`);
    await page.locator('.admin-nav').getByRole('link', { name: 'Pagamenti' }).click();
    await page.waitForURL('**/admin/payments');
    await screenshot(page, 'admin-payments');
    const [first] = transfers;
    if (!first) throw new Error('no transfer');
    const before = await balance();
    await confirmWithAmount(first, '45,50', 'Conferma e accredita');
    expect(await page.getByRole('status').textContent()).toContain(
      'Bonifico confermato: accreditati 45,5000 €',
    );
    expect(await page.getByTestId('payment-status').textContent()).toBe('Accreditato');
    expect(await page.getByTestId('payment-credited').textContent()).toBe('45,5000 €');
    expect(await balance()).toBe(before + 455_000);
    await expectEscaped(page, '"><script>');
    await screenshot(page, 'admin-payment-confirmed');
  });

  it('confirms and rejects in English, and shows a refusal in English', async () => {
    const second = transfers[1];
    const third = transfers[2];
    if (!second || !third) throw new Error('no transfer');
    await page.goto(`${env.baseUrl}/admin/payments?lang=en&status=pending`);
    await page.locator(`tr[data-payment-id="${second.id}"] a`).first().click();
    await screenshot(page, 'admin-payment-pending');
    await page.locator('#amount').fill('twenty');
    await page.getByRole('button', { name: 'Confirm and credit' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Enter an amount above zero');
    await page.locator('#amount').fill('20.00');
    await page.getByRole('button', { name: 'Confirm and credit' }).click();
    await page.waitForURL(`**/admin/payments/${second.id}?done=confirm*`);
    expect(await page.getByRole('status').textContent()).toContain('Transfer confirmed: €20.0000 credited.');
    await page.goto(`${env.baseUrl}/admin/payments/${third.id}`);
    await page.getByRole('button', { name: 'Reject the transfer' }).click();
    await page.waitForURL(`**/admin/payments/${third.id}?done=reject`);
    expect(await page.getByTestId('payment-status').textContent()).toBe('Failed');
  });

  it('uploads a CAMT.053 statement and shows what each entry became', async () => {
    const fourth = transfers[3];
    if (!fourth) throw new Error('no transfer');
    const xml = camtStatement([
      { amount: '100.00', remittance: `Ricarica ${fourth.reference}`, debtor: 'Anna Bianchi' },
      { amount: '12.00', remittance: 'INSP-ZZZZZZ' },
    ]);
    for (const lang of ['it', 'en'] as const) {
      await page.goto(`${env.baseUrl}/admin/payments?lang=${lang}`);
      await page
        .getByRole('link', { name: lang === 'it' ? 'Carica estratto conto' : 'Upload bank statement' })
        .click();
      await page.waitForURL('**/admin/payments/statement');
      await page
        .locator('#statement')
        .setInputFiles({ name: 'statement.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
      await page
        .getByRole('button', { name: lang === 'it' ? 'Carica e abbina' : 'Upload and match' })
        .click();
      await page.getByTestId('statement-credited').waitFor();
      await screenshot(page, 'admin-payment-statement-result');
    }
    // The first upload credited the transfer; the second (English) found both entries imported.
    expect(await page.getByTestId('statement-credited').textContent()).toBe('Total credited: €0.0000.');
    expect(await page.locator('tr[data-outcome="already_imported"]').count()).toBe(2);
    await page.goto(`${env.baseUrl}/admin/payments/${fourth.id}`);
    expect(await page.getByTestId('payment-status').textContent()).toBe('Credited');
  });

  it('shows every payments page on a desktop and a phone, in both languages', async () => {
    const { context, page: phone } = await env.newPage(PHONE);
    const phoneErrors = watchPageErrors(phone);
    await logIn(phone, env.baseUrl, ADMIN_EMAIL);
    const pages = [
      ['admin-payments', '/admin/payments'],
      ['admin-payment-confirmed', `/admin/payments/${transfers[0]?.id}`],
      ['admin-payment-rejected', `/admin/payments/${transfers[2]?.id}`],
      ['admin-payment-statement', '/admin/payments/statement'],
      ['admin-customer-payments', `/admin/customers/${customerId}`],
    ] as const;
    for (const viewer of [page, phone]) {
      for (const lang of ['it', 'en']) {
        for (const [name, path] of pages) {
          const response = await viewer.goto(`${env.baseUrl}${path}?lang=${lang}`);
          expect(response?.status()).toBe(200);
          expect(await viewer.locator('script:not([src])').count()).toBe(0);
          await screenshot(viewer, name);
        }
      }
    }
    await context.close();
    expect(phoneErrors).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
