import type SqliteDatabase from 'better-sqlite3';
import { type CommitSyncState, NEVER_SYNCING } from './sqlite-driver.js';

interface Waiting {
  read(): unknown;
  fallback(): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

function settle(one: Waiting): void {
  try {
    one.resolve(one.read());
  } catch (error) {
    one.reject(error);
  }
}

/** Ends the turn's read-only transaction; a transaction left open would freeze every later read. */
function endReadTransaction(database: SqliteDatabase.Database): void {
  try {
    database.exec('commit');
  } catch {
    if (database.inTransaction) database.exec('rollback');
  }
}

/**
 * Runs the SQLite reads asked for in one turn of the event loop together, inside one read
 * transaction. In WAL mode a statement outside a transaction opens and closes a read
 * transaction of its own, with file locks on the shared-memory index: five times the cost of
 * the primary-key read `balance` needs. The transaction starts when the turn's reads run,
 * after every one of their requests arrived, so each sees the last commit from before it is
 * answered, as a read of its own would.
 *
 * `fallback` is the read for when this connection is inside a transaction (group commit holds
 * one across awaits): it must not read through it but wait for the commit (api-reads.ts).
 * While a commit's fsync runs (sqlite-driver.ts) the reads wait for it, then read as usual:
 * nothing not yet on the disk is answered, and the reads and the orders they let through
 * are done before the next group-commit batch starts.
 */
export type ReadInTurn = <T>(read: () => T, fallback: () => Promise<T>) => Promise<T>;

export function sqliteReadTurn(
  database: SqliteDatabase.Database,
  commitSync: CommitSyncState = NEVER_SYNCING,
): ReadInTurn {
  let waiting: Waiting[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    readBatch(batch);
  };
  const readBatch = (batch: Waiting[]) => {
    if (commitSync.isSyncing && !database.inTransaction) {
      void commitSync.whenSynced().then(() => readBatch(batch));
      return;
    }
    if (database.inTransaction) {
      for (const one of batch) one.fallback().then(one.resolve, one.reject);
      return;
    }
    if (batch.length === 1) return settle(batch[0] as Waiting);
    try {
      database.exec('begin');
    } catch (error) {
      // The connection is closed, say: each read is refused, none crashes the process.
      for (const one of batch) one.reject(error);
      return;
    }
    for (const one of batch) settle(one);
    endReadTransaction(database);
  };
  return function readInTurn<T>(read: () => T, fallback: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ read, fallback, resolve: resolve as (value: unknown) => void, reject });
    });
  };
}
