import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, PostgresDialect, type SqliteDialectConfig, sql } from 'kysely';
import { type ApiKeyChanges, postgresApiKeyChanges, sqliteApiKeyChanges } from './api-key-changes.js';
import { type ApiReads, postgresApiReads, sqliteApiReads } from './api-reads.js';
import { loadPgDriver, loadSqliteDriver } from './drivers.js';
import { PostgresKysely } from './postgres-kysely.js';
import type { Database, Executor } from './schema.js';
import { DurableSqliteDialect, WalSync, walFileOf } from './sqlite-driver.js';
import { SqliteKysely } from './sqlite-kysely.js';
import { SqliteOrderWriter } from './sqlite-order-writer.js';
import { sqliteReadTurn } from './sqlite-read-turn.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Storage {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** The PostgreSQL schema this storage lives in, when not the default one. */
  readonly schema?: string;
  /** Whether a cached API key lookup may have changed (migration 014). */
  readonly apiKeyChanges: ApiKeyChanges;
  /** The API's hot reads, each checking the key in its own statement. */
  readonly apiReads: ApiReads;
  close(): Promise<void>;
  /** PostgreSQL's pool: connections open, idle, and requests waiting for one (for /metrics). */
  poolUse?(): PoolUse;
  /**
   * SQLite only: a consistent copy of the live database into `file`, page by page with
   * SQLite's online backup, while other connections and processes keep writing.
   */
  backupTo?(file: string): Promise<void>;
}

export interface PoolUse {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

const MAX_CACHED_STATEMENTS = 1000;

/**
 * Kysely prepares every query afresh, and for our short queries SQLite's prepare (parse and
 * plan) cost about as much as running them (npm run bench, BENCH_PROFILE=1). Statements are
 * reused by SQL text; Kysely's SQL carries placeholders, so the texts are few. A statement an
 * open iterator is still reading is busy: that caller gets a fresh one.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sqlText: string) {
      const cached = cache.get(sqlText);
      if (cached && !cached.busy) return cached;
      const statement = database.prepare(sqlText);
      if (!cached) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

function openSqlite(url: string): Storage {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const Sqlite = loadSqliteDriver();
  const database = new Sqlite(file);
  database.pragma('journal_mode = WAL');
  // An acknowledged order survives a power cut: every commit reaches the disk.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection; SQLite's own default
  // is 2 MB. The hot paths touch few pages (a key, a balance, the newest orders and their index
  // leaves), and the rest of a big file stays in the operating system's cache, a system call
  // away: 2 MB keeps up to 14 MB out of a grown node's resident memory (issue 12).
  database.pragma('cache_size = -2000');
  const walSync = new WalSync(walFileOf(database));
  // A second connection needs the file, and one that sees the first's commits at once: WAL.
  const orderWriter = walSync.isDeferred ? new SqliteOrderWriter(file) : undefined;
  const db = new SqliteKysely(
    { dialect: new DurableSqliteDialect({ database: withStatementCache(database) }, walSync, database) },
    database,
    orderWriter,
  );
  const readInTurn = sqliteReadTurn(database, walSync);
  return {
    db,
    kind: 'sqlite',
    // One turn's reads, of keys, stamps, services and statuses, share one read transaction.
    apiKeyChanges: sqliteApiKeyChanges(database, readInTurn),
    apiReads: sqliteApiReads(database, db, readInTurn, walSync),
    close: async () => {
      await orderWriter?.close();
      await walSync.close();
      await db.destroy();
    },
    backupTo: async (target) => {
      // SQLite restarts a backup whose source another connection wrote between two steps, so
      // under steady writes a copy in small steps might never finish: after the first step the
      // rest goes in one, inside one read transaction (WAL: writers are not held back).
      await database.backup(target, { progress: ({ totalPages }) => totalPages + 1 });
    },
  };
}

/** int8 and numeric as JS numbers: every value we store is a safe integer (see domain/money). */
function parseInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`database returned an unsafe integer: ${text}`);
  return value;
}

const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20 || oid === 1700) return parseInteger;
    return loadPgDriver().types.getTypeParser(oid, format as 'text');
  },
};

function openPostgres(url: string, poolSize: number): Storage {
  const parsed = new URL(url);
  // `?schema=name` puts every table of this storage in its own schema (tests use one each).
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('invalid schema name');
  const { Pool } = loadPgDriver();
  const pool = new Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new PostgresKysely({ dialect: new PostgresDialect({ pool }) }, pool);
  const apiKeyChanges = postgresApiKeyChanges({ connectionString: parsed.toString() });
  return {
    db,
    kind: 'postgres',
    ...(schema ? { schema } : {}),
    apiKeyChanges,
    apiReads: postgresApiReads(pool),
    close: async () => {
      await apiKeyChanges.close();
      await db.destroy();
    },
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

export function openStorage(url: string, options: { poolSize?: number } = {}): Storage {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgres(url, options.poolSize ?? 10);
  }
  if (url.startsWith('sqlite:')) return openSqlite(url);
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:...)`);
}

/** A trivial round trip: the database answers. Throws when it does not. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}
