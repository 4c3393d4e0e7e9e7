import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/storage/group-commit.js';
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from './support/databases.js';
import { emails, insertAccount } from './support/group-commit-fixtures.js';

describe.skipIf(!isPostgresAvailable)('group commit on PostgreSQL', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    // A check PostgreSQL makes only at COMMIT, so that a test can make a COMMIT fail.
    await sql`create table commit_checks (account_id bigint references accounts (id)
      deferrable initially deferred)`.execute(db.storage.db);
  });
  afterAll(() => db.drop());

  it('runs the jobs of one lane that arrive together in shared transactions', async () => {
    const group = new GroupCommit(db.storage.db, db.storage.kind);
    const jobs = Array.from({ length: 30 }, (_, index) =>
      group.run((trx) => insertAccount(trx, `lane${String(index).padStart(2, '0')}@example.com`), 'one'),
    );
    await Promise.all(jobs);
    expect(group.stats.jobs).toBe(30);
    expect(group.stats.largestBatch).toBeGreaterThan(1);
    expect(group.stats.batches).toBeLessThan(30);
  });

  it('fails the batch whose COMMIT fails, and only that batch', async () => {
    const group = new GroupCommit(db.storage.db, db.storage.kind);
    const innocent = group.run((trx) => insertAccount(trx, 'innocent@example.com'), 'doomed');
    const culprit = group.run(async (trx) => {
      await sql`insert into commit_checks (account_id) values (999999)`.execute(trx);
    }, 'doomed');
    const elsewhere = group.run((trx) => insertAccount(trx, 'elsewhere@example.com'), 'other');
    const outcomes = await Promise.allSettled([innocent, culprit, elsewhere]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    const stored = await emails(db);
    expect(stored).toContain('elsewhere@example.com');
    expect(stored).not.toContain('innocent@example.com');
    await group.run((trx) => insertAccount(trx, 'after@example.com'), 'doomed');
    expect(await emails(db)).toContain('after@example.com');
  });

  it('answers nobody before their commit: a job is answered only once its rows are visible to all', async () => {
    const group = new GroupCommit(db.storage.db, db.storage.kind);
    const seen = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const email = `visible${index}@example.com`;
        await group.run((trx) => insertAccount(trx, email), 'visible');
        const other = await db.storage.db
          .selectFrom('accounts')
          .select('email')
          .where('email', '=', email)
          .execute();
        return other.length;
      }),
    );
    expect(seen).toEqual(Array.from({ length: 10 }, () => 1));
  });
});
