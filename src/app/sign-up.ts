import { DomainError, isDomainError } from '../domain/errors.js';
import type { MailLanguage } from '../storage/schema.js';
import { issueAccountToken } from './account-tokens.js';
import type { AppContext } from './context.js';
import { createAccount, normaliseEmail } from './create-account.js';
import { enqueueMail } from './enqueue-mail.js';
import { reserveMailRequest } from './mail-request-limits.js';
import { MAX_PASSWORD_LENGTH } from './passwords.js';

export { MAX_PASSWORD_LENGTH } from './passwords.js';

export type SignUpOutcome = { ok: true } | { ok: false; reason: 'throttled' };

/**
 * A customer's own sign-up. The answer is the same whether or not the address has an account
 * (no enumeration): a new address gets an unverified account and a mail with its verification
 * link; a known one gets a mail saying someone tried. Both hash the password (createAccount
 * hashes before it looks the address up), so both take the same time. Limited per address and
 * per IP before any hashing.
 */
export async function signUp(
  ctx: AppContext,
  options: { email: string; password: string; ip: string; language: MailLanguage },
): Promise<SignUpOutcome> {
  if (options.password.length > MAX_PASSWORD_LENGTH) {
    throw new DomainError('password_too_long', { max: MAX_PASSWORD_LENGTH });
  }
  const email = normaliseEmail(options.email);
  if (!email) throw new DomainError('email_invalid');
  if (!(await reserveMailRequest(ctx, { kind: 'signup', email, ip: options.ip }))) {
    return { ok: false, reason: 'throttled' };
  }
  try {
    await createAccount(ctx, {
      email,
      password: options.password,
      selfSignUp: {
        language: options.language,
        async onCreated(trx, accountId, nowMs) {
          const token = await issueAccountToken(trx, { accountId, purpose: 'verify_email', nowMs });
          await enqueueMail(trx, { accountId }, 'verify_email', { token }, nowMs);
        },
      },
    });
  } catch (error) {
    if (!isDomainError(error, 'email_taken')) throw error;
    await ctx.db.transaction().execute(async (trx) => {
      await enqueueMail(
        trx,
        { to: email, language: options.language },
        'signup_existing',
        {},
        ctx.clock.now(),
      );
    });
  }
  return { ok: true };
}
