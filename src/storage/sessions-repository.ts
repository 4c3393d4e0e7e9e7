import type { Executor, WebSessionRow } from './schema.js';

export async function insertSession(
  db: Executor,
  session: {
    tokenHash: string;
    accountId: number;
    csrfToken: string;
    createdAt: number;
    expiresAt: number;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('web_sessions')
    .values({
      token_hash: session.tokenHash,
      account_id: session.accountId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
      last_seen_at: session.createdAt,
      ip: session.ip,
      user_agent: session.userAgent,
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
): Promise<number> {
  const result = await db
    .deleteFrom('web_sessions')
    .where('account_id', '=', accountId)
    .where('token_hash', '<>', keepTokenHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Past their lifetime, or unused since `idleSinceMs`. */
export async function deleteExpiredSessions(
  db: Executor,
  options: { nowMs: number; idleSinceMs: number },
): Promise<void> {
  await db
    .deleteFrom('web_sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', options.nowMs), eb('last_seen_at', '<=', options.idleSinceMs)]),
    )
    .execute();
}

/** Records a use; the condition keeps two requests of one minute from both writing. */
export async function touchSession(
  db: Executor,
  options: { tokenHash: string; nowMs: number; touchedBeforeMs: number },
): Promise<void> {
  await db
    .updateTable('web_sessions')
    .set({ last_seen_at: options.nowMs })
    .where('token_hash', '=', options.tokenHash)
    .where('last_seen_at', '<=', options.touchedBeforeMs)
    .execute();
}

export interface AccountSessionRow {
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number;
  ip: string | null;
  userAgent: string | null;
}

/** An account's live sessions, the most recently used first. */
export async function listAccountSessions(
  db: Executor,
  options: { accountId: number; nowMs: number; idleSinceMs: number },
): Promise<AccountSessionRow[]> {
  const rows = await db
    .selectFrom('web_sessions')
    .select(['token_hash', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('account_id', '=', options.accountId)
    .where('expires_at', '>', options.nowMs)
    .where('last_seen_at', '>', options.idleSinceMs)
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    tokenHash: row.token_hash,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    ip: row.ip,
    userAgent: row.user_agent,
  }));
}

/** Every session of an account: a password reset signs out every device, the thief's too. */
export async function deleteAccountSessions(db: Executor, accountId: number): Promise<void> {
  await db.deleteFrom('web_sessions').where('account_id', '=', accountId).execute();
}
