import { randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import { UNITS_PER_EUR } from '../domain/money.js';
import { findAccountByEmail, setPasswordHash } from '../storage/accounts-repository.js';
import { findService } from '../storage/services-repository.js';
import { confirmTwoFactor } from './confirm-two-factor.js';
import type { AppContext } from './context.js';
import { createAccount } from './create-account.js';
import { hashPassword } from './passwords.js';
import { regenerateApiKey } from './regenerate-api-key.js';
import { createService, type ServiceFields } from './save-service.js';
import { startTwoFactorEnrolment } from './start-two-factor-enrolment.js';
import { TOTP_STEP_MS } from './totp-codes.js';

export const DEMO_ADMIN_EMAIL = 'admin@inspiria.demo';
export const DEMO_USER_EMAIL = 'demo@inspiria.demo';

export interface DemoCredentials {
  /** Admins sign in with a second factor: its key for an authenticator app, and recovery codes. */
  admin: { email: string; password: string; twoFactorSecret: string; recoveryCodes: string[] };
  user: { email: string; password: string; apiKey: string };
}

type DemoService = { id: number } & Omit<ServiceFields, 'canCancel' | 'isActive' | 'backend' | 'type'> &
  Partial<Pick<ServiceFields, 'type'>>;

/** A service in each category; 1017 is the API page's own example. */
const DEMO_CATALOG: readonly DemoService[] = [
  {
    id: 1017,
    name: 'IG Likes - Male+Female',
    category: 'Likes',
    linkType: 'post_url',
    rateUnits: 35_000,
    minQuantity: 25,
    maxQuantity: 5000,
  },
  {
    id: 2,
    name: 'IG Followers - Real Italian',
    category: 'Followers',
    linkType: 'username',
    rateUnits: 69_000,
    minQuantity: 50,
    maxQuantity: 10_000,
  },
  {
    id: 3,
    name: 'IG Custom Comments - Italian',
    category: 'Comments',
    type: 'Custom Comments',
    linkType: 'post_url',
    rateUnits: 250_000,
    minQuantity: 1,
    maxQuantity: 500,
  },
  {
    id: 4,
    name: 'IG Story Views',
    category: 'Story views',
    linkType: 'username',
    rateUnits: 9_000,
    minQuantity: 100,
    maxQuantity: 50_000,
  },
  {
    id: 5,
    name: 'IG Reel Views',
    category: 'Reel views',
    linkType: 'reel_url',
    rateUnits: 5_000,
    minQuantity: 100,
    maxQuantity: 100_000,
  },
  {
    id: 6,
    name: 'IG Saves',
    category: 'Saves',
    linkType: 'post_url',
    rateUnits: 12_000,
    minQuantity: 50,
    maxQuantity: 20_000,
  },
  {
    id: 7,
    name: 'IG Shares',
    category: 'Shares',
    linkType: 'post_url',
    rateUnits: 15_000,
    minQuantity: 50,
    maxQuantity: 20_000,
  },
];

// 16 random characters: far past the strength check's bar (passwords.ts).
const password = () => randomBytes(12).toString('base64url');

/**
 * The demo user, or, when an earlier seed stopped after creating it (before the admin that
 * marks the demo as seeded), the same user with a fresh password and key: both were only ever
 * printed by the run that died, and the seed must be able to finish.
 */
async function createOrResetDemoUser(
  ctx: AppContext,
  user: { email: string; password: string },
  actor: string,
): Promise<string> {
  const existing = await findAccountByEmail(ctx.db, user.email);
  if (!existing) {
    const created = await createAccount(ctx, { ...user, openingBalanceUnits: 100 * UNITS_PER_EUR, actor });
    return created.apiKey;
  }
  await setPasswordHash(ctx.db, existing.id, await hashPassword(user.password));
  return regenerateApiKey(ctx, { accountId: existing.id });
}

/**
 * The demo admin's second factor, on from the start so the admin pages open: the key is
 * printed for an authenticator app, and the recovery codes let a visitor without one in. The
 * code confirming it is the previous step's, so the current code still works at first sign-in.
 */
async function enrolDemoAdmin(
  ctx: AppContext,
  accountId: number,
): Promise<{ twoFactorSecret: string; recoveryCodes: string[] }> {
  const enrolment = await startTwoFactorEnrolment(ctx, { accountId, email: DEMO_ADMIN_EMAIL });
  if (enrolment.isEnabled) throw new Error('the demo admin already has a second factor');
  const previousStepMs = ctx.clock.now() - TOTP_STEP_MS;
  const code = authenticator.clone({ epoch: previousStepMs }).generate(enrolment.secret);
  const confirmed = await confirmTwoFactor(ctx, { accountId, code });
  if (!confirmed.ok) throw new Error(`the demo admin's second factor was refused: ${confirmed.reason}`);
  return { twoFactorSecret: enrolment.secret, recoveryCodes: confirmed.recoveryCodes };
}

/**
 * Seeds, once, an admin, a demo user with a balance and an API key, and the demo catalog on
 * the simulator. Returns the credentials when it seeded, undefined when the data was there.
 */
export async function seedDemo(
  ctx: AppContext,
  options: { actor: string },
): Promise<DemoCredentials | undefined> {
  if (await findAccountByEmail(ctx.db, DEMO_ADMIN_EMAIL)) return undefined;
  for (const { id, ...fields } of DEMO_CATALOG) {
    if (await findService(ctx.db, id)) continue;
    await createService(ctx, {
      id,
      actor: options.actor,
      fields: { type: 'Default', canCancel: true, isActive: true, backend: 'simulator', ...fields },
    });
  }
  const user = { email: DEMO_USER_EMAIL, password: password() };
  const apiKey = await createOrResetDemoUser(ctx, user, options.actor);
  // The admin last: its presence is what marks the demo as seeded.
  const admin = { email: DEMO_ADMIN_EMAIL, password: password() };
  const created = await createAccount(ctx, { ...admin, role: 'admin', actor: options.actor });
  const secondFactor = await enrolDemoAdmin(ctx, created.id);
  return { admin: { ...admin, ...secondFactor }, user: { ...user, apiKey } };
}
