import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/storage/group-commit.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './support/databases.js';
import { emails, insertAccount } from './support/group-commit-fixtures.js';

describeEachDatabase('group commit', (db) => {
  it('commits each job that succeeds and nothing of a job that fails, in parallel', async () => {
    const group = new GroupCommit(db().storage.db, db().storage.kind);
    const jobs = Array.from({ length: 40 }, (_, index) =>
      group.run(async (trx) => {
        const id = await insertAccount(trx, `job${String(index).padStart(2, '0')}@example.com`);
        // Every third job fails after writing: its write must vanish, the others must stay.
        if (index % 3 === 0) throw new Error(`job ${index} refuses`);
        return id;
      }),
    );
    const settled = await Promise.allSettled(jobs);
    const rejected = settled.flatMap((outcome, index) => (outcome.status === 'rejected' ? [index] : []));
    expect(rejected).toEqual(Array.from({ length: 14 }, (_, i) => i * 3));
    const expected = Array.from({ length: 40 }, (_, i) => i)
      .filter((i) => i % 3 !== 0)
      .map((i) => `job${String(i).padStart(2, '0')}@example.com`);
    expect(await emails(db())).toEqual(expected);
    if (db().name === 'sqlite') {
      // The jobs queued together shared commits: fewer commits than jobs.
      expect(group.stats.jobs).toBe(40);
      expect(group.stats.largestBatch).toBeGreaterThan(1);
      expect(group.stats.batches).toBeLessThan(40);
    }
  });
});

describe('group commit on SQLite when the COMMIT itself fails', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(() => db.drop());

  it('fails every job of the batch and keeps none of their writes', async () => {
    const group = new GroupCommit(db.storage.db, db.storage.kind);
    const innocent = group.run((trx) => insertAccount(trx, 'innocent@example.com'));
    // A foreign key checked only at COMMIT: the job itself succeeds, its batch's COMMIT fails.
    const culprit = group.run(async (trx) => {
      await sql`pragma defer_foreign_keys = on`.execute(trx);
      await trx
        .insertInto('api_keys')
        .values({ account_id: 999_999, key_hash: 'h', prefix: 'p', created_at: 0, revoked_at: null })
        .execute();
    });
    const outcomes = await Promise.allSettled([innocent, culprit]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await emails(db)).toEqual([]);
    // The connection is usable afterwards: the next batch commits.
    await group.run((trx) => insertAccount(trx, 'after@example.com'));
    expect(await emails(db)).toEqual(['after@example.com']);
  });
});
