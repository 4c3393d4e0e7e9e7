import type { Executor } from '../../src/storage/schema.js';
import type { TestDatabase } from './databases.js';

/** A bare account row: the group-commit tests need rows to write, not a real customer. */
export async function insertAccount(trx: Executor, email: string): Promise<number> {
  const row = await trx
    .insertInto('accounts')
    .values({ email, password_hash: 'x', role: 'user', status: 'active', balance_units: 0, created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The emails stored, sorted: what the committed jobs left behind. */
export async function emails(db: TestDatabase): Promise<string[]> {
  const rows = await db.storage.db.selectFrom('accounts').select('email').orderBy('email').execute();
  return rows.map((row) => row.email);
}
