import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/**
 * The ceiling for durable writes on this disk, measured beside `add`: one-row transactions
 * (BEGIN IMMEDIATE, INSERT, COMMIT) on a WAL file with synchronous=FULL, like the panel's,
 * in the directory the bench database lives in. With one fsync per commit, no order path can
 * commit faster than this without committing several orders per fsync.
 */
export function measureSqliteCommitRate(seconds: number): number {
  const file = join(tmpdir(), `inspiria-bench-disk-${process.pid}.db`);
  const database = new SqliteDatabase(file);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.exec('create table entries (id integer primary key, payload text not null)');
    const begin = database.prepare('begin immediate');
    const insert = database.prepare('insert into entries (payload) values (?)');
    const commit = database.prepare('commit');
    const payload = 'x'.repeat(200);
    const startMs = performance.now();
    let commits = 0;
    // Synchronous on purpose: nothing else runs in this process while it measures.
    while (performance.now() - startMs < seconds * 1000) {
      begin.run();
      insert.run(payload);
      commit.run();
      commits += 1;
    }
    return (commits * 1000) / (performance.now() - startMs);
  } finally {
    database.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}
