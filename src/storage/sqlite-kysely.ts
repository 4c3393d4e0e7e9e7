import type SqliteDatabase from 'better-sqlite3';
import { Kysely, type KyselyConfig } from 'kysely';
import type { Database } from './schema.js';
import type { SqliteOrderWriter } from './sqlite-order-writer.js';

/**
 * Kysely over a SQLite storage's one better-sqlite3 connection, which it also hands out: group
 * commit's bulk writes run statements prepared once straight on that connection, inside the
 * transaction Kysely holds open on it, instead of building and compiling a query per batch
 * (order-batch-sqlite.ts). Every other statement goes through Kysely as usual.
 */
export class SqliteKysely extends Kysely<Database> {
  constructor(
    config: KyselyConfig,
    readonly sqliteConnection: SqliteDatabase.Database,
    /** Stores covered batches of plain orders on a thread of its own; a file database only. */
    readonly orderWriter?: SqliteOrderWriter,
  ) {
    super(config);
  }
}
