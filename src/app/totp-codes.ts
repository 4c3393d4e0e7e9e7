import { authenticator } from 'otplib';

/** RFC 6238's step: a code belongs to one 30-second step. */
export const TOTP_STEP_MS = 30_000;

/**
 * The step `code` was made for, if it is the code of the current step or of the one before or
 * after (a phone's clock a little off, a code typed as it changed); undefined otherwise.
 */
export function matchingTotpStep(secret: string, code: string, nowMs: number): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = authenticator.clone({ epoch: nowMs, window: 1 }).checkDelta(token, secret);
  if (delta === null) return undefined;
  return Math.floor(nowMs / TOTP_STEP_MS) + delta;
}

/** What an authenticator app reads from the QR code. */
export function totpUri(options: { secret: string; email: string; issuer: string }): string {
  return authenticator.keyuri(options.email, options.issuer, options.secret);
}
