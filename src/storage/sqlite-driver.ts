import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

/** Whether this connection's last commit may not be on the disk yet (WalSync). */
export interface CommitSyncState {
  readonly isSyncing: boolean;
  /** Resolves once no commit's fsync runs (at once when none does). */
  whenSynced(): Promise<void>;
}

/** A connection whose commits sync as SQLite's own do (in memory, or a test's stand-in). */
export const NEVER_SYNCING: CommitSyncState = { isSyncing: false, whenSynced: async () => {} };

/**
 * Makes each SQLite transaction's commit durable without blocking the event loop. With
 * synchronous=FULL, SQLite's COMMIT in WAL mode writes the transaction's frames to the WAL and
 * then fsyncs it, and better-sqlite3 runs all of it on the main thread: every HTTP request
 * waited behind the disk for each commit. Here a transaction commits with synchronous=NORMAL,
 * which in WAL mode differs from FULL only by leaving out that fsync (the frames, their
 * checksums and the syncs around checkpoints are the same), and the fsync of the WAL follows
 * on libuv's thread pool. Kysely holds the connection until commitTransaction returns, so no
 * other statement of this process runs before the commit is on the disk, and nobody is
 * answered before it is; the reads that bypass Kysely wait for `isSyncing` to clear
 * (sqlite-read-turn.ts, api-reads.ts). Statements outside a transaction keep synchronous=FULL.
 */
export class WalSync implements CommitSyncState {
  private handle: Promise<FileHandle> | undefined;
  private syncs = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly walFile: string | undefined) {}

  /** Whether commits defer their fsync here: only a file database in WAL mode has a WAL. */
  get isDeferred(): boolean {
    return this.walFile !== undefined;
  }

  /** A commit's fsync is running: what is committed may not be on the disk yet. */
  get isSyncing(): boolean {
    return this.syncs > 0;
  }

  whenSynced(): Promise<void> {
    if (this.syncs === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * fdatasync of the WAL, as SQLite's own commit sync does on Linux. The file stays the same
   * while this connection is open (SQLite deletes it only when its last connection closes; a
   * checkpoint rewrites it from the start), so one handle serves every commit.
   */
  async sync(): Promise<void> {
    if (!this.walFile) return;
    this.syncs += 1;
    try {
      this.handle ??= open(this.walFile, 'r');
      await (await this.handle).datasync();
    } catch (error) {
      this.handle = undefined;
      throw error;
    } finally {
      this.syncs -= 1;
      // Before the commit's caller resumes: the reads waiting run before the next transaction.
      if (this.syncs === 0) for (const resolve of this.waiting.splice(0)) resolve();
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle.catch(() => undefined))?.close();
  }
}

const run = (connection: DatabaseConnection, text: string) =>
  connection.executeQuery(CompiledQuery.raw(text));

/**
 * Transactions start with BEGIN IMMEDIATE: they take the write lock up front, so two processes
 * on one file (the server and `inspiria worker`) wait on busy_timeout instead of failing with
 * SQLITE_BUSY when a read lock would have to be upgraded. Their commit is made durable by
 * WalSync, off the main thread.
 */
class DurableSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly walSync: WalSync,
    private readonly connectionState: { readonly inTransaction: boolean },
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.walSync.isDeferred) return void (await run(connection, 'begin immediate'));
    await run(connection, 'pragma synchronous = normal');
    try {
      await run(connection, 'begin immediate');
    } catch (error) {
      await run(connection, 'pragma synchronous = full');
      throw error;
    }
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.walSync.isDeferred) return void (await run(connection, 'commit'));
    try {
      await run(connection, 'commit');
    } finally {
      // Also when the commit failed: Kysely then rolls back, under synchronous=FULL again.
      await run(connection, 'pragma synchronous = full');
    }
    // A failed fsync fails the commit's callers: the data may or may not be on the disk, as
    // with a COMMIT that fails in its own fsync.
    await this.walSync.sync();
  }

  /**
   * Kysely rolls back after any failure of commitTransaction, also one of its fsync, when the
   * commit is done: there is nothing left to roll back then, and the fsync's error stands.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.walSync.isDeferred) return void (await run(connection, 'rollback'));
    try {
      if (this.connectionState.inTransaction) await run(connection, 'rollback');
    } finally {
      await run(connection, 'pragma synchronous = full');
    }
  }
}

export class DurableSqliteDialect extends SqliteDialect {
  constructor(
    private readonly dialectConfig: SqliteDialectConfig,
    private readonly walSync: WalSync,
    /** The better-sqlite3 connection itself (the config's may wrap it). */
    private readonly connectionState: { readonly inTransaction: boolean },
  ) {
    super(dialectConfig);
  }

  override createDriver() {
    return new DurableSqliteDriver(this.dialectConfig, this.walSync, this.connectionState);
  }
}

/** The WAL of a file database in WAL mode, else undefined (an in-memory database has none). */
export function walFileOf(database: SqliteDatabase.Database): string | undefined {
  const mode = database.pragma('journal_mode', { simple: true });
  return mode === 'wal' && !database.memory ? `${resolve(database.name)}-wal` : undefined;
}
