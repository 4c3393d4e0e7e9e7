import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { TOTP_STEP_MS } from '../src/app/totp-codes.js';
import {
  type BrowserEnv,
  DESKTOP,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';
import { nextSecondFactorCode, type TestSecondFactor, totpCodeAt } from './support/two-factor.js';

const PASSWORD = 'correct horse battery';
const shoot = (page: Page, name: string) => screenshot(page, name);

const WORDS = {
  it: {
    login: 'Accedi',
    confirm: 'Conferma e attiva',
    verify: 'Verifica',
    done: 'Li ho salvati',
    setUp: 'Attiva',
  },
  en: {
    login: 'Log in',
    confirm: 'Confirm and turn on',
    verify: 'Verify',
    done: 'I have saved them',
    setUp: 'Turn on',
  },
} as const;

describe('two-factor sign-in in the browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  async function passwordStep(page: Page, email: string, lang: 'it' | 'en') {
    await page.goto(`${env.baseUrl}/login?lang=${lang}`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: WORDS[lang].login }).click();
  }

  it.each(['it', 'en'] as const)(
    'turns it on from the account page, then signs in with a code (%s)',
    async (lang) => {
      const email = `phone-${lang}@example.com`;
      await createAccount(env.ctx, { email, password: PASSWORD });
      const { page } = await env.newPage(DESKTOP);
      const errors = watchPageErrors(page);
      await passwordStep(page, email, lang);
      await page.waitForURL('**/dashboard');
      await page.goto(`${env.baseUrl}/account`);
      await page.locator('#two-factor').getByRole('link', { name: WORDS[lang].setUp }).click();
      await page.waitForURL('**/account/two-factor');
      expect(await page.locator('.qr-code svg').count()).toBe(1);
      await shoot(page, 'two-factor-setup');
      const secret = (await page.locator('#two-factor-secret').getAttribute('data-secret')) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // The key as shown, in groups of four, is the same key.
      expect((await page.locator('#two-factor-secret').textContent())?.replaceAll(' ', '')).toBe(secret);
      const { page: phone } = await env.newPage(PHONE);
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(`${env.baseUrl}/account/two-factor`);
      await shoot(phone, 'two-factor-setup');
      await phone.close();

      const step = Math.floor(Date.now() / TOTP_STEP_MS);
      await page.locator('#code').fill(totpCodeAt(secret, step * TOTP_STEP_MS));
      await page.getByRole('button', { name: WORDS[lang].confirm }).click();
      const codes = await page.locator('.recovery-codes li').allTextContents();
      expect(codes).toHaveLength(10);
      await shoot(page, 'two-factor-recovery-codes');
      await page.getByRole('link', { name: WORDS[lang].done }).click();
      await page.waitForURL('**/account');

      await page.locator('form[action="/logout"] button').first().click();
      await page.waitForURL('**/login?notice=logged_out');
      await passwordStep(page, email, lang);
      await page.waitForURL('**/login/code');
      await shoot(page, 'two-factor-code');
      const factor: TestSecondFactor = { secret, recoveryCodes: codes, lastStep: step };
      await page.locator('#code').fill(nextSecondFactorCode(factor, Date.now()));
      await page.getByRole('button', { name: WORDS[lang].verify }).click();
      await page.waitForURL('**/dashboard');
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
