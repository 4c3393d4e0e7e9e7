import { DomainError } from '../domain/errors.js';
import type { AppContext } from './context.js';
import { createAccount } from './create-account.js';
import { MAX_PASSWORD_LENGTH } from './passwords.js';
import { type StartedSession, startWebSession } from './start-web-session.js';

export { MAX_PASSWORD_LENGTH } from './passwords.js';

/** A new customer account, signed in at once. */
export async function signUp(
  ctx: AppContext,
  options: { email: string; password: string; ip?: string; userAgent?: string },
): Promise<{ accountId: number; session: StartedSession }> {
  if (options.password.length > MAX_PASSWORD_LENGTH) {
    throw new DomainError('password_too_long', { max: MAX_PASSWORD_LENGTH });
  }
  const account = await createAccount(ctx, {
    email: options.email,
    password: options.password,
    actor: 'web',
  });
  const device = {
    ...(options.ip !== undefined ? { ip: options.ip } : {}),
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
  };
  return { accountId: account.id, session: await startWebSession(ctx, { accountId: account.id, ...device }) };
}
