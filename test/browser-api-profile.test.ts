import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { type BrowserEnv, DESKTOP, PHONE, startBrowserEnv, watchPageErrors } from './support/browser.js';

const PASSWORD = 'correct horse battery';

/** An unknown id's cancel: the shape tells the profile apart (contract §13). */
async function cancelUnknown(baseUrl: string, key: string): Promise<unknown> {
  const reply = await fetch(`${baseUrl}/api/v2`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key, action: 'cancel', orders: '999999' }).toString(),
  });
  return reply.json();
}

describe('the API compatibility profile on the dashboard, in the browser', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  for (const [lang, viewport, words] of [
    [
      'it',
      PHONE,
      { save: 'Salva profilo', current: 'Profilo attuale: perfectpanel', back: 'Profilo attuale: inspiria' },
    ],
    [
      'en',
      DESKTOP,
      { save: 'Save profile', current: 'Current profile: perfectpanel', back: 'Current profile: inspiria' },
    ],
  ] as const) {
    it(`switches the key's answers to perfectpanel and back (${lang}, ${viewport.width}px)`, async () => {
      const email = `profile-${lang}-${Date.now()}@example.com`;
      const { apiKey } = await createAccount(env.ctx, { email, password: PASSWORD });
      const { context, page } = await env.newPage(viewport);
      context.setDefaultTimeout(30_000);
      const errors = watchPageErrors(page);
      await page.goto(`${env.baseUrl}/login?lang=${lang}`);
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.locator('form[action="/login"] button[type="submit"]').click();
      await page.waitForURL('**/dashboard');
      expect(await cancelUnknown(env.baseUrl, apiKey)).toEqual({ '999999': 'Incorrect order ID' });

      const form = page.getByTestId('api-profile-form');
      await form.locator('input[value="perfectpanel"]').check();
      await form.getByRole('button', { name: words.save }).click();
      await page.waitForURL('**/dashboard?done=api-profile*');
      expect(await page.getByTestId('api-profile').textContent()).toBe(words.current);
      expect(await cancelUnknown(env.baseUrl, apiKey)).toEqual([
        { order: 999999, cancel: { error: 'Incorrect order ID' } },
      ]);

      await page.getByTestId('api-profile-form').locator('input[value="inspiria"]').check();
      await page.getByTestId('api-profile-form').getByRole('button', { name: words.save }).click();
      await page.waitForURL('**/dashboard?done=api-profile*');
      expect(await page.getByTestId('api-profile').textContent()).toBe(words.back);
      expect(await cancelUnknown(env.baseUrl, apiKey)).toEqual({ '999999': 'Incorrect order ID' });
      expect(errors).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
