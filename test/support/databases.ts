import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import { type AppContext, createAppContext } from '../../src/app/context.js';
import { FakeClock } from '../../src/domain/clock.js';
import { providerNetwork } from '../../src/engine/provider-address.js';
import { openStorage, type Storage } from '../../src/storage/connection.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import type { Database } from '../../src/storage/schema.js';

/** Test contexts may call providers on loopback (the SSRF tests build their own without this). */
export const TEST_PROVIDER_NETWORK = providerNetwork(true);

/**
 * Integration tests run once on SQLite and once on PostgreSQL, as Kysely's own tests do.
 * Each suite gets a database of its own: a fresh SQLite file, or a fresh PostgreSQL schema.
 */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function probePostgres(): Promise<boolean> {
  const storage = openStorage(POSTGRES_URL, { poolSize: 1 });
  try {
    await sql`select 1`.execute(storage.db);
    return true;
  } catch {
    return false;
  } finally {
    await storage.close().catch(() => {});
  }
}

export const isPostgresAvailable = await probePostgres();
if (!isPostgresAvailable && process.env.CI === 'true') {
  throw new Error(`PostgreSQL is unreachable at ${POSTGRES_URL}, and under CI=true that is a failure`);
}

export type DatabaseName = 'sqlite' | 'postgres';

export interface TestDatabase {
  readonly name: DatabaseName;
  /** The DATABASE_URL of this suite's own database, for child processes (CLI, worker). */
  readonly url: string;
  readonly storage: Storage;
  readonly ctx: AppContext;
  readonly clock: FakeClock;
  /** A second, independent connection to the same database (a second API node or worker). */
  openAnother(): Storage;
}

const uniqueName = () => `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

export async function createTestDatabase(
  name: DatabaseName,
): Promise<TestDatabase & { drop(): Promise<void> }> {
  const opened: Storage[] = [];
  let url: string;
  let cleanup: () => Promise<void>;
  if (name === 'sqlite') {
    const file = join(tmpdir(), `inspiria-${uniqueName()}.db`);
    url = `sqlite:${file}`;
    cleanup = async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
  } else {
    const schema = uniqueName();
    const admin = openStorage(POSTGRES_URL, { poolSize: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
    url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    cleanup = async () => {
      const dropper = openStorage(POSTGRES_URL, { poolSize: 1 });
      await sql`drop schema ${sql.id(schema)} cascade`.execute(dropper.db);
      await dropper.close();
    };
  }
  const storage = openStorage(url, { poolSize: 10 });
  await migrateToLatest(storage);
  const clock = new FakeClock();
  return {
    name,
    url,
    storage,
    clock,
    // Fake providers are served on loopback, as with ALLOW_PRIVATE_PROVIDER_URLS=true.
    ctx: createAppContext(storage, clock, undefined, TEST_PROVIDER_NETWORK),
    openAnother() {
      const another = openStorage(url, { poolSize: 10 });
      opened.push(another);
      return another;
    },
    async drop() {
      for (const another of opened) await another.close().catch(() => {});
      await storage.close();
      await cleanup();
    },
  };
}

/**
 * Declares `body` once per database. The PostgreSQL variant is skipped, and reported as
 * skipped, where PostgreSQL is unreachable, except under CI=true where that fails above.
 */
export function describeEachDatabase(title: string, body: (db: () => TestDatabase) => void): void {
  for (const name of ['sqlite', 'postgres'] as const) {
    const isSkipped = name === 'postgres' && !isPostgresAvailable;
    describe.skipIf(isSkipped)(`${title} [${name}]`, () => {
      let database: (TestDatabase & { drop(): Promise<void> }) | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(name);
      });
      afterAll(async () => {
        await database?.drop();
      });
      body(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      });
    });
  }
}

/** How many rows a table holds: what a refused request or command must leave unchanged. */
export async function rowCount(db: TestDatabase, table: keyof Database): Promise<number> {
  const row = await db.storage.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
