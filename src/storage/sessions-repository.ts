import type { Executor, WebSessionRow } from './schema.js';

export async function insertSession(
  db: Executor,
  session: { tokenHash: string; accountId: number; csrfToken: string; createdAt: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('web_sessions')
    .values({
      token_hash: session.tokenHash,
      account_id: session.accountId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

export function findSession(db: Executor, tokenHash: string): Promise<WebSessionRow | undefined> {
  return db.selectFrom('web_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Every session of an account but one: a password change signs out the other devices. */
export async function deleteOtherSessions(
  db: Executor,
  accountId: number,
  keepTokenHash: string,
): Promise<void> {
  await db
    .deleteFrom('web_sessions')
    .where('account_id', '=', accountId)
    .where('token_hash', '<>', keepTokenHash)
    .execute();
}

export async function deleteExpiredSessions(db: Executor, nowMs: number): Promise<void> {
  await db.deleteFrom('web_sessions').where('expires_at', '<=', nowMs).execute();
}
