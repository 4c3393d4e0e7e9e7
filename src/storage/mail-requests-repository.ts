import { sql } from 'kysely';
import type { DatabaseKind } from './connection.js';
import type { Executor } from './schema.js';

export interface MailRequestKey {
  kind: string;
  /** Normalised; whether or not an account has it. */
  email: string;
  ip: string;
}

/**
 * Serialises the requests sharing an address or an email until the transaction ends, so
 * parallel requests cannot all count the same window (as password-attempts-repository.ts).
 * SQLite: every transaction already starts with BEGIN IMMEDIATE.
 */
export async function lockMailRequestKeys(
  trx: Executor,
  kind: DatabaseKind,
  key: MailRequestKey,
): Promise<void> {
  if (kind !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(7311, hashtext(${key.email}))`.execute(trx);
  await sql`select pg_advisory_xact_lock(7312, hashtext(${key.ip}))`.execute(trx);
}

export async function countRecentMailRequests(
  db: Executor,
  key: MailRequestKey & { sinceMs: number },
): Promise<{ byEmail: number; byAddress: number }> {
  const recent = db
    .selectFrom('mail_requests')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('kind', '=', key.kind)
    .where('created_at', '>', key.sinceMs);
  const byEmail = await recent.where('email', '=', key.email).executeTakeFirstOrThrow();
  const byAddress = await recent.where('ip', '=', key.ip).executeTakeFirstOrThrow();
  return { byEmail: Number(byEmail.n), byAddress: Number(byAddress.n) };
}

export async function insertMailRequest(
  db: Executor,
  key: MailRequestKey & { nowMs: number },
): Promise<void> {
  await db
    .insertInto('mail_requests')
    .values({ kind: key.kind, email: key.email, ip: key.ip, created_at: key.nowMs })
    .execute();
}

export async function deleteOldMailRequests(db: Executor, beforeMs: number): Promise<void> {
  await db.deleteFrom('mail_requests').where('created_at', '<=', beforeMs).execute();
}
