import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { findAccountByEmail } from '../../src/storage/accounts-repository.js';
import { WebClient } from './web-client.js';

let counter = 0;
export const uniqueEmail = (prefix = 'customer') => `${prefix}${++counter}-${Date.now()}@example.com`;
export const CUSTOMER_PASSWORD = 'correct horse battery';

/** The token of the latest verification mail queued for `email` (read from the outbox). */
export async function latestMailToken(
  ctx: AppContext,
  email: string,
  kind = 'verify_email',
): Promise<string> {
  const row = await ctx.db
    .selectFrom('mail_outbox')
    .select('data')
    .where('to_address', '=', email)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const token = row ? (JSON.parse(row.data) as { token?: string }).token : undefined;
  if (!token) throw new Error(`no ${kind} mail queued for ${email}`);
  return token;
}

/**
 * A customer as the web makes one: signs up through the form, follows the verification link
 * (from the outbox, without a mail server) and logs in. The client keeps the session.
 *
 * The suite signs up many customers from one loopback address, more than the per-address
 * sign-up limit allows in an hour: the helper forgives its own sign-up request afterwards (the
 * limit itself is tested in email-accounts.test.ts).
 */
export async function signUpVerifiedCustomer(
  baseUrl: string,
  ctx: AppContext,
  options: { email?: string; password?: string; lang?: 'it' | 'en' } = {},
): Promise<{ client: WebClient; email: string; accountId: number }> {
  const client = new WebClient(baseUrl);
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? CUSTOMER_PASSWORD;
  const query = options.lang ? `?lang=${options.lang}` : '';
  const signUp = await client.submit(`/signup${query}`, '/signup', { email, password });
  expect(signUp.status, signUp.text).toBe(200);
  await ctx.db.deleteFrom('mail_requests').where('kind', '=', 'signup').where('email', '=', email).execute();
  const verified = await client.get(`/verify-email?token=${await latestMailToken(ctx, email)}`);
  expect(verified.status).toBe(200);
  const logIn = await client.submit('/login', '/login', { email, password });
  expect(logIn.status, logIn.text).toBe(303);
  const account = await findAccountByEmail(ctx.db, email);
  if (!account) throw new Error(`no account for ${email}`);
  return { client, email, accountId: account.id };
}

/**
 * In a browser that just submitted the sign-up form: follows the verification link (from the
 * outbox) and logs in, ending on the dashboard.
 */
export async function verifyAndLogInInBrowser(
  page: Page,
  options: { baseUrl: string; ctx: AppContext; email: string; password: string },
): Promise<void> {
  const email = options.email.toLowerCase();
  await page.locator('main h1').waitFor();
  await options.ctx.db
    .deleteFrom('mail_requests')
    .where('kind', '=', 'signup')
    .where('email', '=', email)
    .execute();
  await page.goto(`${options.baseUrl}/verify-email?token=${await latestMailToken(options.ctx, email)}`);
  await page.goto(`${options.baseUrl}/login`);
  await page.getByLabel('Email').fill(options.email);
  await page.getByLabel('Password').fill(options.password);
  await page.locator('form[action="/login"] button[type="submit"]').click();
  await page.waitForURL('**/dashboard');
}
