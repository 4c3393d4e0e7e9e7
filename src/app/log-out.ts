import { deleteSession } from '../storage/sessions-repository.js';
import type { AppContext } from './context.js';
import { hashSessionToken } from './web-session-tokens.js';

/** Deletes the session row: the cookie's token is worthless from this moment on. */
export async function logOut(ctx: AppContext, options: { token: string }): Promise<void> {
  await deleteSession(ctx.db, hashSessionToken(options.token));
}
