import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import { type AppContext, createAppContext } from '../../src/app/context.js';
import { FakeClock } from '../../src/domain/clock.js';
import { openStorage, type Storage } from '../../src/storage/connection.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import type { Database } from '../../src/storage/schema.js';
import { providerNetwork } from '../../src/upstream/provider-address.js';

/** Test contexts may call providers on loopback (the SSRF tests build their own without this). */
export const TEST_PROVIDER_NETWORK = providerNetwork(true);
const REPO = resolve(import.meta.dirname, '../..');

/**
 * Integration tests run once on SQLite and once on PostgreSQL, as Kysely's own tests do.
 * Each suite gets a database of its own: a fresh SQLite file, or a fresh PostgreSQL database
 * copied from a migrated template.
 */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** PostgreSQL is up but cannot take us yet (too many connections from parallel runs, starting up). */
const BUSY_CODES = new Set(['53300', '57P03']);

async function probePostgres(): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const storage = openStorage(POSTGRES_URL, { poolSize: 1 });
    try {
      await sql`select 1`.execute(storage.db);
      return true;
    } catch (error) {
      // A busy server is waited for: skipping its suites would quietly lose their coverage.
      if (BUSY_CODES.has((error as { code?: string }).code ?? '') && attempt < 30) {
        await delay(1_000);
        continue;
      }
      console.warn(`PostgreSQL is unreachable at ${POSTGRES_URL}, its suites are skipped: ${String(error)}`);
      return false;
    } finally {
      await storage.close().catch(() => {});
    }
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

/** The URL of another database on the test server. */
function postgresDatabaseUrl(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Serialises building the template among the test processes (any fixed number will do). */
const TEMPLATE_LOCK = 4_711_902;

function migrationsHash(): string {
  const hash = createHash('sha256');
  const dir = join(REPO, 'src', 'storage', 'migrations');
  for (const file of [
    join(REPO, 'src', 'storage', 'migrate.ts'),
    ...readdirSync(dir)
      .sort()
      .map((f) => join(dir, f)),
  ]) {
    hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

let template: Promise<string> | undefined;

/**
 * A PostgreSQL database migrated to the latest schema, built once per state of the migrations
 * and kept: each suite's database is a copy of it (CREATE DATABASE ... TEMPLATE), which is
 * cheaper than migrating, and a database of its own keeps the migrator's look at every schema
 * (Kysely's introspection) clear of the other suites' schemas being dropped meanwhile.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = `inspiria_template_${migrationsHash()}`;
    const admin = openStorage(POSTGRES_URL, { poolSize: 1 });
    try {
      await admin.db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(${TEMPLATE_LOCK})`.execute(connection);
        try {
          const found = await sql`select 1 from pg_database where datname = ${name}`.execute(connection);
          if (found.rows.length > 0) return;
          // Built under another name and renamed once complete: a template that exists is whole.
          const staging = `${name}_${randomBytes(4).toString('hex')}`;
          await sql`create database ${sql.id(staging)}`.execute(connection);
          const storage = openStorage(postgresDatabaseUrl(staging), { poolSize: 1 });
          try {
            await migrateToLatest(storage);
          } finally {
            await storage.close();
          }
          await sql`alter database ${sql.id(staging)} rename to ${sql.id(name)}`.execute(connection);
        } finally {
          await sql`select pg_advisory_unlock(${TEMPLATE_LOCK})`.execute(connection);
        }
      });
    } finally {
      await admin.close();
    }
    return name;
  })();
  return template;
}

let sqliteTemplate: Promise<string> | undefined;

/**
 * The SQLite counterpart: a file migrated once per state of the migrations, shared by the test
 * processes through its name; each suite's file is a copy of it (migrating costs about 80 ms of
 * a core, copying a tenth of that). Built under another name and renamed once complete.
 */
function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const file = join(tmpdir(), `inspiria-template-${migrationsHash()}.db`);
    if (existsSync(file)) return file;
    const staging = `${file}.${randomBytes(4).toString('hex')}`;
    const storage = openStorage(`sqlite:${staging}`, { poolSize: 1 });
    try {
      await migrateToLatest(storage);
    } finally {
      // Closing checkpoints the write-ahead log into the file: the file alone is the database.
      await storage.close();
    }
    renameSync(staging, file);
    return file;
  })();
  return sqliteTemplate;
}

/** A fresh SQLite file at `file`, migrated (a copy of the template). */
export async function copyMigratedSqlite(file: string): Promise<void> {
  copyFileSync(await migratedSqliteTemplate(), file);
}

/**
 * Drops a suite's database once its connections are gone. A closed pool's backends may take a
 * moment to exit, and forcing them out then fails a client still closing with an uncaught
 * error; only connections still there after a few seconds (a leak) are forced out.
 */
async function dropDatabase(database: string): Promise<void> {
  const dropper = openStorage(POSTGRES_URL, { poolSize: 1 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await sql`drop database ${sql.id(database)}`.execute(dropper.db);
        return;
      } catch (error) {
        const isInUse = (error as { code?: string }).code === '55006';
        if (!isInUse) throw error;
        if (attempt >= 50) break;
        await delay(100);
      }
    }
    await sql`drop database ${sql.id(database)} with (force)`.execute(dropper.db);
  } finally {
    await dropper.close();
  }
}

export async function createTestDatabase(
  name: DatabaseName,
): Promise<TestDatabase & { drop(): Promise<void> }> {
  const opened: Storage[] = [];
  let url: string;
  let cleanup: () => Promise<void>;
  if (name === 'sqlite') {
    const file = join(tmpdir(), `inspiria-${uniqueName()}.db`);
    await copyMigratedSqlite(file);
    url = `sqlite:${file}`;
    cleanup = async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
  } else {
    const database = uniqueName();
    const source = await migratedTemplate();
    const admin = openStorage(POSTGRES_URL, { poolSize: 1 });
    try {
      await sql`create database ${sql.id(database)} template ${sql.id(source)}`.execute(admin.db);
      // A throw-away database: its commits need not wait for the disk (a crash of the server
      // may lose the last ones, which no test does). Every connection to it, child processes'
      // included, takes this setting.
      await sql`alter database ${sql.id(database)} set synchronous_commit = off`.execute(admin.db);
    } finally {
      await admin.close();
    }
    url = postgresDatabaseUrl(database);
    cleanup = () => dropDatabase(database);
  }
  const storage = openStorage(url, { poolSize: 10 });
  // A copy of a migrated template: this only confirms the schema is current (a few ms).
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
