import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCardEvent } from '../src/app/apply-card-event.js';
import type { CardCheckoutRequest, CardGateway, PaymentSettings } from '../src/app/payment-settings.js';
import { confirmBankTransfer } from '../src/app/settle-bank-transfer.js';
import { findAccountByEmail } from '../src/storage/accounts-repository.js';
import {
  type BrowserEnv,
  FLOW_RUNS,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';
import { verifyAndLogInInBrowser } from './support/customers.js';

const PASSWORD = 'correct horse battery';

/** A processor whose checkout the customer completes at once: it sends them straight back. */
const instantCheckout: CardGateway = {
  async createCheckout(request: CardCheckoutRequest) {
    return { sessionId: `cs_test_${request.paymentId}`, url: request.successUrl };
  },
  parseWebhook(): never {
    throw new Error('not used by this test');
  },
};

const SETTINGS: PaymentSettings = {
  limits: { minUnits: 100_000, maxUnits: 10_000_000 },
  maxOpenTransfers: 3,
  bank: { iban: 'IT60X0542811101000000123456', beneficiary: 'Inspiria S.r.l.', bic: 'BPMOIT22XXX' },
  card: instantCheckout,
  business: {
    name: 'Inspiria S.r.l.',
    address: 'Via Roma 1, 20121 Milano',
    vatId: 'IT12345678901',
    email: 'fatture@inspiria.example',
  },
};

const TEXT = {
  it: { signup: 'Crea account', bank: 'Bonifico bancario', card: 'Paga con carta', receipt: 'Ricevuta' },
  en: { signup: 'Create account', bank: 'Bank transfer', card: 'Pay by card', receipt: 'Receipt' },
} as const;

describe('payments in the browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv({ payments: SETTINGS });
  });
  afterAll(async () => {
    await env?.close();
  });

  // No step depends on the width.
  for (const [lang, viewport] of FLOW_RUNS) {
    it(`adds funds by bank transfer and prints the receipt (${lang}, ${viewport.width}px)`, async () => {
      const { context, page } = await env.newPage(viewport);
      const errors = watchPageErrors(page);
      const text = TEXT[lang];
      const email = `payer-${lang}-${viewport.width}-${Date.now()}@example.com`;
      await page.goto(`${env.baseUrl}/signup?lang=${lang}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: text.signup }).click();
      await verifyAndLogInInBrowser(page, {
        baseUrl: env.baseUrl,
        ctx: env.ctx,
        email,
        password: PASSWORD,
      });
      await screenshot(page, 'pay-dashboard-empty');

      await page.locator('.balance-actions a[href="/funds"]').click();
      await page.waitForURL('**/funds');
      await page.locator('a.quick-pick[data-amount="25"]').click(); // fills the field, no reload
      expect(await page.locator('#amount').inputValue()).toBe('25');
      await screenshot(page, 'pay-funds');
      await page.getByRole('button', { name: text.bank }).click();
      await page.waitForURL(/\/payments\/\d+$/);
      const reference = (await page.getByTestId('reference').textContent()) ?? '';
      expect(reference).toMatch(/^INSP-/);
      expect(await page.getByTestId('iban').textContent()).toBe('IT60 X054 2811 1010 0000 0123 456');
      await screenshot(page, 'pay-transfer');

      // The operator sees the money arrive and confirms it, as the admin page or CLI would.
      await confirmBankTransfer(env.ctx, { reference, receivedUnits: 250_000, actor: 'test' });
      await page.reload();
      await page.getByRole('link', { name: text.receipt }).first().click();
      await page.waitForURL(/\/receipt$/);
      expect(await page.getByTestId('receipt-number').textContent()).toMatch(/^\d{4}\/\d{6}$/);
      expect(await page.getByTestId('receipt-amount').textContent()).toBe(
        lang === 'it' ? '25,0000 €' : '€25.0000',
      );
      await screenshot(page, 'pay-receipt');
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      await screenshot(page, 'pay-receipt-print');
      await page.emulateMedia({ media: 'screen' });

      await page.goto(`${env.baseUrl}/dashboard`);
      expect(await page.getByTestId('balance').textContent()).toBe(lang === 'it' ? '25,0000 €' : '€25.0000');
      await page.goto(`${env.baseUrl}/payments`);
      await screenshot(page, 'pay-list');
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('settles an amount owed by card: back pending, then credited by the processor alone', async () => {
    const { context, page } = await env.newPage(PHONE);
    const errors = watchPageErrors(page);
    const email = `card-${Date.now()}@example.com`;
    await page.goto(`${env.baseUrl}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: TEXT.it.signup }).click();
    await verifyAndLogInInBrowser(page, { baseUrl: env.baseUrl, ctx: env.ctx, email, password: PASSWORD });
    const account = await findAccountByEmail(env.ctx.db, email);
    await env.ctx.db
      .updateTable('accounts')
      .set({ outstanding_units: 123_400, status: 'suspended', is_suspended_for_outstanding: 1 })
      .where('id', '=', account?.id ?? 0)
      .execute();
    await page.goto(`${env.baseUrl}/funds`);
    expect(await page.getByTestId('outstanding').textContent()).toBe('12,3400 €');
    await page.locator('#amount').fill('30,50');
    await screenshot(page, 'pay-funds-owed');
    await page.getByRole('button', { name: TEXT.it.card }).click();
    await page.waitForURL(/\/funds\/return\?payment=\d+&lang=it$/);
    expect(await page.getByTestId('payment-status').locator('.badge').textContent()).toBe('In attesa');
    await screenshot(page, 'pay-card-return');
    const inEnglish = new URL(page.url());
    inEnglish.searchParams.set('lang', 'en');
    await page.goto(inEnglish.href);
    expect(await page.getByTestId('payment-status').locator('.badge').textContent()).toBe('Pending');
    // The processor's signed event credits the payment; the open page follows by itself.
    const paymentId = Number(inEnglish.searchParams.get('payment'));
    await applyCardEvent(env.ctx, {
      kind: 'session_completed',
      eventId: `evt_${paymentId}`,
      type: 'checkout.session.completed',
      sessionId: `cs_test_${paymentId}`,
      paymentStatus: 'paid',
      amountCents: 3050,
      currency: 'eur',
      paymentIntentId: `pi_${paymentId}`,
    });
    await page.locator('[data-testid="payment-status"] .badge-pay-succeeded').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('payment-status').textContent()).toContain('€30.5000 credited');
    await screenshot(page, 'pay-card-credited');
    // The payment settled what was owed first, and the account is active again.
    await page.goto(`${env.baseUrl}/funds`);
    expect(await page.getByTestId('outstanding').count()).toBe(0);
    await page.goto(`${env.baseUrl}/dashboard`);
    expect(await page.getByTestId('balance').textContent()).toBe('€18.1600');
    await screenshot(page, 'pay-card-return');
    expect(errors).toEqual([]);
    await context.close();
  });
});
