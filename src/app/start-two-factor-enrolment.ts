import {
  countUnusedRecoveryCodes,
  findTwoFactor,
  saveUnconfirmedSecret,
} from '../storage/two-factor-repository.js';
import type { AppContext } from './context.js';
import { totpUri } from './totp-codes.js';
import { newTotpSecret, openSecret, sealSecret } from './two-factor-secrets.js';

export type TwoFactorEnrolment =
  | { isEnabled: true; recoveryCodesLeft: number }
  | { isEnabled: false; secret: string; uri: string };

/**
 * The secret the owner is about to add to an authenticator app: the one already offered if
 * not yet confirmed (a reloaded page shows the same QR code), or a new one.
 */
export async function startTwoFactorEnrolment(
  ctx: AppContext,
  options: { accountId: number; email: string },
): Promise<TwoFactorEnrolment> {
  const row = await findTwoFactor(ctx.db, options.accountId);
  if (row?.enabled_at != null) {
    return { isEnabled: true, recoveryCodesLeft: await countUnusedRecoveryCodes(ctx.db, options.accountId) };
  }
  let secret: string;
  if (row) {
    secret = openSecret(ctx.twoFactorKey, row.secret_sealed);
  } else {
    secret = newTotpSecret();
    await saveUnconfirmedSecret(ctx.db, {
      accountId: options.accountId,
      secretSealed: sealSecret(ctx.twoFactorKey, secret),
      createdAt: ctx.clock.now(),
    });
  }
  const issuer = ctx.payments.business.name;
  return { isEnabled: false, secret, uri: totpUri({ secret, email: options.email, issuer }) };
}
