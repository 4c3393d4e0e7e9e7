import { authenticator } from 'otplib';
import { expect } from 'vitest';
import { confirmTwoFactor } from '../../src/app/confirm-two-factor.js';
import type { AppContext } from '../../src/app/context.js';
import { startTwoFactorEnrolment } from '../../src/app/start-two-factor-enrolment.js';
import { TOTP_STEP_MS } from '../../src/app/totp-codes.js';
import { findAccountByEmail } from '../../src/storage/accounts-repository.js';
import type { WebClient } from './web-client.js';

/** What a test keeps of an enrolled account: its secret, its recovery codes, the last step it spent. */
export interface TestSecondFactor {
  secret: string;
  recoveryCodes: string[];
  lastStep: number;
}

export function totpCodeAt(secret: string, nowMs: number): string {
  return authenticator.clone({ epoch: nowMs }).generate(secret);
}

/**
 * Turns on the second factor the way the account page does (a secret, then a code), spending the
 * code of the step before now, so the current and the next step are left for sign-ins.
 */
export async function enrolSecondFactor(ctx: AppContext, accountId: number): Promise<TestSecondFactor> {
  const enrolment = await startTwoFactorEnrolment(ctx, { accountId, email: `account-${accountId}` });
  if (enrolment.isEnabled) throw new Error(`account ${accountId} already has a second factor`);
  const step = Math.floor(ctx.clock.now() / TOTP_STEP_MS) - 1;
  const confirmed = await confirmTwoFactor(ctx, {
    accountId,
    code: totpCodeAt(enrolment.secret, step * TOTP_STEP_MS),
  });
  if (!confirmed.ok) throw new Error(`enrolment refused: ${confirmed.reason}`);
  return { secret: enrolment.secret, recoveryCodes: confirmed.recoveryCodes, lastStep: step };
}

export async function enrolSecondFactorByEmail(ctx: AppContext, email: string): Promise<TestSecondFactor> {
  const account = await findAccountByEmail(ctx.db, email.toLowerCase());
  if (!account) throw new Error(`no account ${email}`);
  return enrolSecondFactor(ctx, account.id);
}

/**
 * A code the server has not accepted yet: the app code of the earliest unspent step within the
 * server's window (±1 step), or, when all three are spent, a recovery code. No test waits.
 */
export function nextSecondFactorCode(factor: TestSecondFactor, nowMs: number): string {
  const currentStep = Math.floor(nowMs / TOTP_STEP_MS);
  const step = Math.max(factor.lastStep + 1, currentStep - 1);
  if (step <= currentStep + 1) {
    factor.lastStep = step;
    return totpCodeAt(factor.secret, step * TOTP_STEP_MS);
  }
  const recovery = factor.recoveryCodes.shift();
  if (!recovery) throw new Error('no code left for this account');
  return recovery;
}

/** Email, password, then the code: a signed-in client of an account with a second factor. */
export async function logInWithCode(
  client: WebClient,
  options: { email: string; password: string; factor: TestSecondFactor; nowMs: number },
): Promise<void> {
  const login = await client.submit('/login', '/login', { email: options.email, password: options.password });
  expect(login.status).toBe(303);
  expect(login.location).toBe('/login/code');
  const code = nextSecondFactorCode(options.factor, options.nowMs);
  const done = await client.submit('/login/code', '/login/code', { code });
  expect(done.status).toBe(303);
}
