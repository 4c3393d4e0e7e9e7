import { sql } from 'kysely';
import type { DatabaseKind } from './connection.js';
import type { Executor } from './schema.js';

export interface AttemptKey {
  /** The account the password is guessed for, by its normalised email (known or not). */
  email: string;
  ip: string;
}

/**
 * Serialises the reservations that share an account or an address until the transaction ends.
 * PostgreSQL: one advisory lock per account and one per address, always in that order, so two
 * reservations wait for each other when they share either and can never wait in a circle.
 * SQLite: nothing to do, every transaction starts with BEGIN IMMEDIATE (connection.ts).
 */
export async function lockAttemptKeys(trx: Executor, kind: DatabaseKind, key: AttemptKey): Promise<void> {
  if (kind !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(7301, hashtext(${key.email}))`.execute(trx);
  await sql`select pg_advisory_xact_lock(7302, hashtext(${key.ip}))`.execute(trx);
}

export interface AttemptCounts {
  /** This account from this address. */
  byPair: number;
  /** This account from every address. */
  byAccount: number;
  /** This address on every account. */
  byAddress: number;
}

export async function countRecentAttempts(
  db: Executor,
  key: AttemptKey & { sinceMs: number },
): Promise<AttemptCounts> {
  const recent = db
    .selectFrom('password_attempts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('created_at', '>', key.sinceMs);
  const [pair, account, address] = await Promise.all([
    recent.where('email', '=', key.email).where('ip', '=', key.ip).executeTakeFirstOrThrow(),
    recent.where('email', '=', key.email).executeTakeFirstOrThrow(),
    recent.where('ip', '=', key.ip).executeTakeFirstOrThrow(),
  ]);
  return { byPair: Number(pair.n), byAccount: Number(account.n), byAddress: Number(address.n) };
}

export async function insertAttempt(
  db: Executor,
  attempt: AttemptKey & { createdAt: number },
): Promise<void> {
  await db
    .insertInto('password_attempts')
    .values({ email: attempt.email, ip: attempt.ip, created_at: attempt.createdAt })
    .execute();
}

/** The right password from this address: its guesses there (the one just reserved too) are forgiven. */
export async function deleteAttemptsOfPair(db: Executor, key: AttemptKey): Promise<void> {
  await db.deleteFrom('password_attempts').where('email', '=', key.email).where('ip', '=', key.ip).execute();
}
