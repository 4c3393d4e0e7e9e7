import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableSqliteDialect, WalSync, walFileOf } from './sqlite-driver.js';

const opened: { database: SqliteDatabase.Database; file: string }[] = [];

afterEach(() => {
  for (const { database, file } of opened.splice(0)) {
    database.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
});

/** A WAL database whose commits record, at their fsync, what the connection then looked like. */
function openWal(walFile?: string) {
  const file = join(tmpdir(), `inspiria-driver-${process.pid}-${opened.length}-${Date.now()}.db`);
  const database = new SqliteDatabase(file);
  opened.push({ database, file });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  const seen: { isInTransaction: boolean; synchronous: unknown; isSyncing: boolean }[] = [];
  const walSync = new (class extends WalSync {
    override async sync(): Promise<void> {
      const pending = super.sync();
      seen.push({
        isInTransaction: database.inTransaction,
        synchronous: database.pragma('synchronous', { simple: true }),
        isSyncing: this.isSyncing,
      });
      await pending;
    }
  })(walFile ?? walFileOf(database));
  const db = new Kysely<{ t: { v: number } }>({
    dialect: new DurableSqliteDialect({ database }, walSync, database),
  });
  return { database, db, seen };
}

describe('DurableSqliteDialect', () => {
  it('commits with synchronous NORMAL, then fsyncs the WAL before the commit returns, FULL again', async () => {
    const { database, db, seen } = openWal();
    await sql`create table t (v integer)`.execute(db);
    const inside = await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ v: 1 }).execute();
      return database.pragma('synchronous', { simple: true });
    });
    expect(inside).toBe(1);
    expect(seen).toEqual([{ isInTransaction: false, synchronous: 2, isSyncing: true }]);
    expect(database.pragma('synchronous', { simple: true })).toBe(2);
    expect(await db.selectFrom('t').select('v').execute()).toEqual([{ v: 1 }]);
  });

  it('restores FULL after a rollback, with no fsync', async () => {
    const { database, db, seen } = openWal();
    await sql`create table t (v integer)`.execute(db);
    const failed = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ v: 1 }).execute();
      throw new Error('refused');
    });
    await expect(failed).rejects.toThrow('refused');
    expect(seen).toEqual([]);
    expect(database.pragma('synchronous', { simple: true })).toBe(2);
    expect(await db.selectFrom('t').select('v').execute()).toEqual([]);
  });

  it('fails the commit whose fsync fails', async () => {
    const { db } = openWal(join(tmpdir(), 'inspiria-no-such-dir', 'missing.db-wal'));
    await sql`create table t (v integer)`.execute(db);
    const committed = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ v: 1 }).execute();
    });
    await expect(committed).rejects.toThrow(/ENOENT/);
  });

  it('leaves an in-memory database as it is: no WAL, no deferred fsync', () => {
    const database = new SqliteDatabase(':memory:');
    expect(walFileOf(database)).toBeUndefined();
    database.close();
  });
});
