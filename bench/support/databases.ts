import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStorage } from '../../src/storage/connection.js';

export type BenchDatabaseName = 'sqlite' | 'postgres';

export interface BenchDatabase {
  readonly name: BenchDatabaseName;
  /** A fresh, empty database; the server child migrates it. */
  readonly url: string;
  drop(): Promise<void>;
}

const uniqueName = () => `bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

/**
 * A temporary SQLite file. os.tmpdir() must be a real disk for the figures to mean anything:
 * the server opens it with WAL and synchronous=FULL, so every commit waits for an fsync.
 */
function createSqlite(): BenchDatabase {
  const file = join(tmpdir(), `inspiria-${uniqueName()}.db`);
  return {
    name: 'sqlite',
    url: `sqlite:${file}`,
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/** A fresh schema in the given PostgreSQL database, dropped afterwards (as the tests do). */
async function createPostgres(serverUrl: string): Promise<BenchDatabase> {
  const schema = uniqueName();
  const admin = openStorage(serverUrl, { poolSize: 1 });
  try {
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  } finally {
    await admin.close();
  }
  return {
    name: 'postgres',
    url: `${serverUrl}${serverUrl.includes('?') ? '&' : '?'}schema=${schema}`,
    drop: async () => {
      const dropper = openStorage(serverUrl, { poolSize: 1 });
      try {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(dropper.db);
      } finally {
        await dropper.close();
      }
    },
  };
}

/** Whether PostgreSQL answers at all; an unreachable server is reported, not hidden. */
export async function isPostgresReachable(serverUrl: string): Promise<boolean> {
  const storage = openStorage(serverUrl, { poolSize: 1 });
  try {
    await sql`select 1`.execute(storage.db);
    return true;
  } catch {
    return false;
  } finally {
    await storage.close().catch(() => {});
  }
}

export async function createBenchDatabase(
  name: BenchDatabaseName,
  postgresUrl: string,
): Promise<BenchDatabase> {
  return name === 'sqlite' ? createSqlite() : createPostgres(postgresUrl);
}
