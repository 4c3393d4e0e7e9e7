import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByEmail, findAccountById } from '../src/storage/accounts-repository.js';
import { findOrderById } from '../src/storage/orders-repository.js';
import { findService } from '../src/storage/services-repository.js';
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
import { callApi } from './support/api-server.js';
import { type BrowserEnv, startBrowserEnv, watchPageErrors } from './support/browser.js';
import { FakeProvider } from './support/fake-provider.js';

describe('admin in the browser: customers, services, orders, providers', () => {
  let env: BrowserEnv;
  let page: Page;
  let errors: string[];
  let customer: { id: number; apiKey: string };
  let orderId = 0;
  let xssOrderId = 0;
  const provider = new FakeProvider('upstream-key-12345');

  beforeAll(async () => {
    env = await startBrowserEnv();
    await provider.start();
    provider.services = [
      {
        service: 7,
        name: 'Upstream Likes',
        category: 'Likes',
        rate: '1.00',
        min: 10,
        max: 1000,
        cancel: true,
      },
    ];
    ({ customer, orderId, xssOrderId } = await seedAdminWorld(env));
    ({ page } = await env.newPage());
    errors = watchPageErrors(page);
    await logIn(page, env.baseUrl, ADMIN_EMAIL);
  });
  afterAll(async () => {
    await provider.stop();
    await env?.close();
  });

  it('shows the overview with revenue, orders by status and customers', async () => {
    await page.getByRole('link', { name: 'Amministrazione' }).click();
    await page.waitForURL('**/admin');
    expect(await page.getByTestId('revenue').textContent()).toBe('3,8500 €');
    expect(await page.getByTestId('status-Pending').textContent()).toBe('2');
    expect(await page.getByTestId('active-customers').textContent()).toBe('1');
    expect(await page.locator('svg .bar').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Verifica il registro' }).click();
    expect(await page.locator('.notice-success').textContent()).toContain('Registro coerente');
  });

  it('finds the customer and credits with a reason; the audit row shows before and after', async () => {
    await page.goto(`${env.baseUrl}/admin/customers`);
    await page.getByLabel('Cerca per ID o email').fill('client"><script');
    await page.getByRole('button', { name: 'Cerca' }).click();
    const rows = page.locator('tbody tr[data-account-id]');
    expect(await rows.count()).toBe(1);
    await expectEscaped(page, CUSTOMER_EMAIL);
    await rows.getByRole('link', { name: `#${customer.id}` }).click();
    await page.waitForURL(`**/admin/customers/${customer.id}`);
    expect(await page.getByTestId('customer-email').textContent()).toBe(CUSTOMER_EMAIL);
    expect(await page.getByTestId('balance').textContent()).toBe('96,1500 €');

    // Without a reason the browser itself refuses; the server refuses too (checked below by POST).
    await page.getByLabel('Importo in euro').fill('25,5');
    await page.getByLabel('Motivo').fill(`bonifico ${XSS}`);
    await page.getByRole('button', { name: 'Registra il movimento' }).click();
    await page.waitForURL(/done=credit/);
    expect(await page.locator('.notice-success').textContent()).toContain('da 96,1500 € a 121,6500 €');
    expect(await page.getByTestId('balance').textContent()).toBe('121,6500 €');
    await expectEscaped(page, `bonifico ${XSS}`);

    await page.getByLabel('Addebita').check();
    await page.getByLabel('Importo in euro').fill('1000');
    await page.getByLabel('Motivo').fill('too much');
    await page.getByRole('button', { name: 'Registra il movimento' }).click();
    expect(await page.locator('.notice-error').textContent()).toContain(
      'Saldo insufficiente: servono 1.000,0000 €',
    );
    expect(await page.getByTestId('balance').textContent()).toBe('121,6500 €');

    await page.getByRole('link', { name: 'Registro attività di questo cliente' }).click();
    const row = page.locator('tr[data-action="account.credit"]').first();
    const text = await row.textContent();
    // One sentence: the balance's old and new value as one change.
    expect(text).toContain('saldo: 96,1500 € → 121,6500 €');
    expect(text).toContain('importo: 25,5000 €');
    expect(text).toContain(`web:${ADMIN_EMAIL}`);
    await expectEscaped(page, CUSTOMER_EMAIL);
    await expectEscaped(page, `bonifico ${XSS}`);
  });

  it('suspends the customer: the API answers 403 at once; unsuspends: 200 again', async () => {
    expect((await callApi(env.baseUrl, { key: customer.apiKey, action: 'balance' })).status).toBe(200);
    await page.goto(`${env.baseUrl}/admin/customers/${customer.id}`);
    await page.getByRole('button', { name: 'Sospendi l’account' }).click();
    await page.waitForURL(/done=suspended/);
    const refused = await callApi(env.baseUrl, { key: customer.apiKey, action: 'balance' });
    expect({ status: refused.status, body: refused.body }).toEqual({
      status: 403,
      body: { error: 'Account suspended' },
    });
    await page.getByRole('button', { name: 'Riattiva l’account' }).click();
    await page.waitForURL(/done=active/);
    const again = await callApi(env.baseUrl, { key: customer.apiKey, action: 'balance' });
    expect({ status: again.status, body: again.body }).toEqual({
      status: 200,
      body: { balance: '121.6500', currency: 'EUR' },
    });
    const actions = await page.goto(`${env.baseUrl}/admin/audit?account=${customer.id}&action=account.`);
    expect(actions?.status()).toBe(200);
    expect(await page.locator('tr[data-action="account.suspend"]').count()).toBe(1);
    expect(await page.locator('tr[data-action="account.unsuspend"]').count()).toBe(1);
  });

  it('creates, edits and deactivates a service', async () => {
    await page.goto(`${env.baseUrl}/admin/services`);
    await page.getByRole('link', { name: 'Nuovo servizio' }).click();
    await page.getByLabel('Nome', { exact: true }).fill('IG Reel Views');
    await page.getByLabel('Categoria').fill('Views');
    await page.getByLabel('Tipo di link').selectOption('reel_url');
    await page.getByLabel('Prezzo per 1000 (EUR)').fill('0,75');
    await page.getByLabel('Quantità minima').fill('100');
    await page.getByLabel('Quantità massima').fill('abc');
    await page.getByRole('button', { name: 'Crea il servizio' }).click();
    expect(await page.locator('.notice-error').textContent()).toContain('numeri interi');
    expect(await page.getByLabel('Nome', { exact: true }).inputValue()).toBe('IG Reel Views');
    await page.getByLabel('Quantità massima').fill('50000');
    await page.getByLabel('ID', { exact: true }).fill('201');
    await page.getByRole('button', { name: 'Crea il servizio' }).click();
    expect(await page.locator('.notice-error').textContent()).toBe('Esiste già un servizio con questo ID.');
    await page.getByLabel('ID', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Crea il servizio' }).click();
    await page.waitForURL(/done=created/);
    const row = page.locator('tr[data-service-id="202"]');
    expect(await row.textContent()).toContain('0,7500 €');

    await row.getByRole('link', { name: 'IG Reel Views' }).click();
    await page.getByLabel('Prezzo per 1000 (EUR)').fill('0.9');
    await page.getByLabel('Quantità massima').fill('60000');
    await page.getByRole('button', { name: 'Salva il servizio' }).click();
    await page.waitForURL(/done=saved/);
    expect(await row.textContent()).toContain('0,9000 €');
    await row.getByRole('button', { name: 'Disattiva' }).click();
    await page.waitForURL(/done=deactivated/);
    const stored = await findService(env.ctx.db, 202);
    expect(stored).toMatchObject({
      rate_units: 9000,
      max_quantity: 60000,
      is_active: 0,
      link_type: 'reel_url',
    });
    const services = await callApi(env.baseUrl, { key: customer.apiKey, action: 'services' });
    expect(JSON.stringify(services.body)).not.toContain('IG Reel Views');
  });

  it('records operator progress (remains fall) and a failed attempt, then cancels with the refund', async () => {
    await page.goto(`${env.baseUrl}/admin/orders`);
    await expectEscaped(page, XSS_LINK);
    await expectEscaped(page, CUSTOMER_EMAIL);
    await page.getByRole('link', { name: `#${orderId}`, exact: true }).click();
    await page.waitForURL(`**/admin/orders/${orderId}`);
    expect(await page.getByTestId('remains').textContent()).toBe('1.000');
    await page.getByLabel('Unità consegnate ora').fill('300');
    await page.getByLabel('Conteggio iniziale').fill('5000');
    await page.getByRole('button', { name: 'Registra l’avanzamento' }).click();
    await page.waitForURL(/done=progress/);
    expect(await page.getByTestId('remains').textContent()).toBe('700');
    expect(await page.getByTestId('order-status').textContent()).toBe('In corso');
    await page.getByRole('button', { name: 'Registra un tentativo fallito' }).click();
    await page.waitForURL(/done=fail/);
    expect(await page.locator('.notice-success').textContent()).toContain('(1 di fila)');

    await page.getByRole('button', { name: 'Annulla e rimborsa' }).click();
    await page.waitForURL(/done=cancel/);
    // contract §9: 300 of 1000 delivered (under half): half of the undelivered 700/1000 of 3.5000.
    expect(await page.locator('.notice-success').textContent()).toContain('rimborso 1,2250 €');
    expect(await page.getByTestId('refunded').textContent()).toBe('1,2250 €');
    expect(await page.getByTestId('order-status').textContent()).toBe('Parziale');
    expect(await page.locator('tr[data-entry-id]').count()).toBe(2);
    const order = await findOrderById(env.ctx.db, orderId);
    expect(order).toMatchObject({ status: 'Partial', refunded_units: 12250, remains: 700 });
    await page.goto(`${env.baseUrl}/admin/audit?action=order.`);
    expect(await page.locator('tr[data-action="order.cancel"]').textContent()).toContain(
      'stato: In corso → Parziale, rimborso: 1,2250 €',
    );
    expect(await page.locator('tr[data-action="order.progress"]').count()).toBe(1);
  });

  it('lists the operator queue and records progress from it', async () => {
    await page.getByRole('link', { name: 'Coda operatore' }).click();
    await page.waitForURL('**/admin/queue');
    const row = page.locator(`tr[data-order-id="${xssOrderId}"]`);
    expect(await page.locator('tr[data-order-id]').count()).toBe(1);
    await expectEscaped(page, XSS_LINK);
    await row.locator('input[name="delivered"]').fill('10');
    await row.getByRole('button', { name: 'Registra' }).click();
    await page.waitForURL(/done=progress/);
    expect(await page.locator('.notice-success').textContent()).toContain(`#${xssOrderId}`);
    expect(await row.textContent()).toContain('90');
    expect((await findOrderById(env.ctx.db, xssOrderId))?.remains).toBe(90);
  });

  it('adds a provider, reads its balance and imports its services with a markup', async () => {
    await page.goto(`${env.baseUrl}/admin/providers`);
    await page.getByLabel('Nome', { exact: true }).fill('fakepanel');
    await page.getByLabel('URL dell’API').fill(provider.url);
    await page.getByLabel('Chiave API presso il fornitore').fill(provider.apiKey);
    await page.getByRole('button', { name: 'Aggiungi il fornitore' }).click();
    await page.waitForURL(/done=added/);
    const row = page.locator('tr[data-provider="fakepanel"]');
    expect(await row.textContent()).not.toContain(provider.apiKey);
    await row.getByRole('button', { name: 'Controlla il saldo' }).click();
    expect(await page.locator('.notice-info').textContent()).toContain('123.4567 EUR');
    await page.locator('tr[data-provider="fakepanel"] input[name="markup"]').fill('30');
    await page
      .locator('tr[data-provider="fakepanel"]')
      .getByRole('button', { name: 'Importa i servizi' })
      .click();
    // Issue 13: the catalog first, then only what was ticked, arriving inactive.
    await page.getByTestId('import-catalog').waitFor();
    await page.locator('#pick-7').check();
    await page.getByRole('button', { name: 'Importa i selezionati e applica le modifiche scelte' }).click();
    await page.waitForURL(/\/imported\?created=1/);
    expect(await page.locator('.notice-success').textContent()).toContain('1 nuovi servizi');
    await page.goto(`${env.baseUrl}/admin/services`);
    expect(await page.locator('main').textContent()).toContain('Upstream Likes');
    expect(await page.locator('main').textContent()).toContain('1,3000 €');
  });

  it('refuses to let an admin suspend their own account', async () => {
    const admin = await findAccountByEmail(env.ctx.db, ADMIN_EMAIL);
    await page.goto(`${env.baseUrl}/admin/customers/${admin?.id}`);
    await page.getByRole('button', { name: 'Sospendi l’account' }).click();
    expect(await page.locator('.notice-error').textContent()).toContain('tuo stesso account');
    expect((await findAccountByEmail(env.ctx.db, ADMIN_EMAIL))?.status).toBe('active');
  });

  it('refuses a credit without a reason on the server', async () => {
    await page.goto(`${env.baseUrl}/admin/customers/${customer.id}`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const response = await fetch(`${env.baseUrl}/admin/customers/${customer.id}/credit`, {
      method: 'POST',
      headers: { cookie: await cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ amount: '10', direction: 'credit', reason: '  ', _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Il motivo è obbligatorio.');
    expect((await findAccountById(env.ctx.db, customer.id))?.balance_units).toBe(1_228_750);
  });

  it('raised no console error, CSP violation or unexpected dialog', () => {
    expect(errors).toEqual([]);
  });
});
