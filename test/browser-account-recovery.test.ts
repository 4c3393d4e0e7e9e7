import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_STEP_MS } from '../src/app/totp-codes.js';
import { MailDispatcher } from '../src/mail/mail-dispatcher.js';
import type { MailOperator } from '../src/mail/render-mail.js';
import { smtpSender } from '../src/mail/smtp-sender.js';
import { type BrowserEnv, PHONE, screenshot, startBrowserEnv, watchPageErrors } from './support/browser.js';
import { uniqueEmail } from './support/customers.js';
import { linkPath, type SmtpInbox, startSmtpInbox } from './support/smtp-inbox.js';
import { nextSecondFactorCode, type TestSecondFactor, totpCodeAt } from './support/two-factor.js';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'violet tractor umbrella nine';

const OPERATOR: MailOperator = {
  from: 'Inspiria <no-reply@inspiria.test>',
  publicUrl: 'https://panel.inspiria.test',
  businessName: 'Inspiria',
  businessAddress: 'Via Roma 1, Milano',
  businessEmail: 'info@inspiria.test',
};

const WORDS = {
  it: {
    signup: 'Crea account',
    login: 'Accedi',
    checkInbox: 'Controlla la tua casella',
    verified: 'Indirizzo confermato',
    verifyMail: /Conferma il tuo indirizzo email/,
    setUp: 'Attiva',
    confirm: 'Conferma e attiva',
    done: 'Li ho salvati',
    verify: 'Verifica',
    forgot: 'Password dimenticata?',
    sendLink: 'Invia il link',
    resetMail: /Reimposta la password/,
    resetTitle: 'Scegli una nuova password',
    save: 'Salva la password',
    resetDone: 'Password cambiata',
    changedMail: /La tua password è stata cambiata/,
  },
  en: {
    signup: 'Create account',
    login: 'Log in',
    checkInbox: 'Check your inbox',
    verified: 'Address confirmed',
    verifyMail: /Confirm your email address/,
    setUp: 'Turn on',
    confirm: 'Confirm and turn on',
    done: 'I have saved them',
    verify: 'Verify',
    forgot: 'Forgot your password?',
    sendLink: 'Send the link',
    resetMail: /Reset your password/,
    resetTitle: 'Choose a new password',
    save: 'Save the password',
    resetDone: 'Password changed',
    changedMail: /Your password was changed/,
  },
} as const;

const shoot = (page: Page, name: string) => screenshot(page, `recovery-${name}`);

describe('account recovery in the browser: sign-up, two-factor, forgotten password', () => {
  let env: BrowserEnv;
  let inbox: SmtpInbox;
  let mail: MailDispatcher;
  beforeAll(async () => {
    env = await startBrowserEnv();
    inbox = await startSmtpInbox();
    mail = new MailDispatcher({ ctx: env.ctx, sender: smtpSender(inbox.url), operator: OPERATOR });
  });
  afterAll(async () => {
    await mail?.stop();
    await inbox?.close();
    await env?.close();
  });

  /** Sends what the outbox holds and returns the mail to `to` whose subject matches. */
  async function receive(to: string, subject: RegExp) {
    await mail.runOnce();
    return inbox.waitFor(to, subject);
  }

  /** On a phone the navigation is behind the menu button. */
  async function logOut(page: Page) {
    const toggle = page.locator('.menu-toggle');
    if (await toggle.isVisible()) await toggle.click();
    await page.locator('form[action="/logout"] button').first().click();
    await page.waitForURL('**/login?notice=logged_out');
  }

  async function passwordStep(page: Page, email: string, password: string, lang: 'it' | 'en') {
    await page.goto(`${env.baseUrl}/login?lang=${lang}`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await page.getByRole('button', { name: WORDS[lang].login, exact: true }).click();
  }

  async function codeStep(page: Page, factor: TestSecondFactor, lang: 'it' | 'en') {
    await page.waitForURL('**/login/code');
    await page.locator('#code').fill(nextSecondFactorCode(factor, Date.now()));
    await page.getByRole('button', { name: WORDS[lang].verify }).click();
    await page.waitForURL('**/dashboard');
  }

  it.each(['it', 'en'] as const)(
    'signs up, confirms the address, turns on two-factor, resets the password and signs in again (%s)',
    async (lang) => {
      const words = WORDS[lang];
      const email = uniqueEmail(`recovery-${lang}`);
      const { page } = await env.newPage(PHONE);
      const errors = watchPageErrors(page);

      // Sign-up, and the page that says to look in the inbox.
      await page.goto(`${env.baseUrl}/signup?lang=${lang}`);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await shoot(page, 'signup');
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.getByRole('button', { name: words.signup }).click();
      await expect.poll(() => page.locator('main h1').textContent()).toBe(words.checkInbox);
      expect(await page.locator('main').textContent()).toContain(email);
      await shoot(page, 'check-inbox');

      // The verification mail, in the page's language, over SMTP; its link confirms the address.
      const verification = await receive(email, words.verifyMail);
      expect(verification.htmlLang).toBe(lang);
      await page.goto(`${env.baseUrl}${linkPath(verification, '/verify-email')}`);
      expect(await page.locator('main h1').textContent()).toBe(words.verified);

      // Log in with the password alone, then turn on two-factor from the account page.
      await passwordStep(page, email, PASSWORD, lang);
      await page.waitForURL('**/dashboard');
      await page.goto(`${env.baseUrl}/account`);
      await page.locator('#two-factor').getByRole('link', { name: words.setUp }).click();
      await page.waitForURL('**/account/two-factor');
      const secret = (await page.locator('#two-factor-secret').getAttribute('data-secret')) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // The code of the step before now: the current and the next step are left for the sign-ins.
      const step = Math.floor(Date.now() / TOTP_STEP_MS) - 1;
      await page.locator('#code').fill(totpCodeAt(secret, step * TOTP_STEP_MS));
      await page.getByRole('button', { name: words.confirm }).click();
      const recoveryCodes = await page.locator('.recovery-codes li').allTextContents();
      expect(recoveryCodes).toHaveLength(10);
      await page.getByRole('link', { name: words.done }).click();
      await page.waitForURL('**/account');
      const factor: TestSecondFactor = { secret, recoveryCodes, lastStep: step };

      // Log out; the password alone no longer signs in: the code is asked for.
      await logOut(page);
      await passwordStep(page, email, PASSWORD, lang);
      await codeStep(page, factor, lang);
      await logOut(page);

      // Forgotten password: the link on the log-in page, the same "check your inbox" page.
      await page.goto(`${env.baseUrl}/login?lang=${lang}`);
      await page.getByRole('link', { name: words.forgot }).click();
      await page.waitForURL('**/forgot-password');
      await page.locator('#email').fill(email);
      await page.getByRole('button', { name: words.sendLink }).click();
      await expect.poll(() => page.locator('main h1').textContent()).toBe(words.checkInbox);
      await shoot(page, 'forgot-sent');

      const reset = await receive(email, words.resetMail);
      expect(reset.htmlLang).toBe(lang);
      await page.goto(`${env.baseUrl}${linkPath(reset, '/reset-password')}`);
      expect(await page.locator('main h1').textContent()).toBe(words.resetTitle);
      await shoot(page, 'reset-password');
      // A weak password is refused on the same page, which keeps the token.
      await page.locator('#new_password').fill('password123');
      await page.getByRole('button', { name: words.save }).click();
      await expect.poll(() => page.locator('main .notice-error').count()).toBeGreaterThan(0);
      expect(await page.locator('main h1').textContent()).toBe(words.resetTitle);
      await shoot(page, 'reset-password-weak');
      await page.locator('#new_password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: words.save }).click();
      await expect.poll(() => page.locator('main').textContent()).toContain(words.resetDone);
      await shoot(page, 'reset-done');
      await receive(email, words.changedMail);

      // The old password is refused; the new one with a code signs in.
      await passwordStep(page, email, PASSWORD, lang);
      await page.waitForURL('**/login');
      expect(page.url()).not.toContain('/login/code');
      expect(await page.locator('main .notice-error').count()).toBe(1);
      await passwordStep(page, email, NEW_PASSWORD, lang);
      await codeStep(page, factor, lang);
      expect(await page.locator('footer').textContent()).toContain(email);
      // Every sign-in took an app code: no recovery code was needed.
      expect(factor.recoveryCodes).toHaveLength(10);
      expect(errors).toEqual([]);
      await page.context().close();
    },
    120_000,
  );
});
