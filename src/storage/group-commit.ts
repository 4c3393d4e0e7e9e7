import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { groupCommitBatchSize } from '../observability/metrics.js';
import type { DatabaseKind } from './connection.js';
import { loadPgDriver } from './drivers.js';
import type { Database, Executor } from './schema.js';
import { SqliteKysely } from './sqlite-kysely.js';

type Work<T> = (trx: Executor) => Promise<T>;

export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Where a bulk work writes: its transaction, and on SQLite also the one connection that
 * transaction runs on, for statements prepared once (sqlite-kysely.ts).
 */
export type BulkTarget =
  | { readonly kind: 'postgres' }
  | { readonly kind: 'sqlite'; readonly connection: SqliteDatabase.Database };

/**
 * Runs many jobs' items with a few statements for all of them: it decides every item before
 * writing, so an item it refuses (an error outcome) wrote nothing. It throws only when the
 * database does; then its writes are rolled back and each item runs alone as its `work`.
 */
export type BulkWork<I, T> = (
  trx: Executor,
  items: readonly I[],
  target: BulkTarget,
) => Promise<Outcome<T>[]>;

/**
 * Stores many jobs' items in one statement committed on its own, outside any transaction: one
 * round trip on PostgreSQL for the whole batch. undefined when it does not apply to these items
 * (it then wrote nothing); when it applies it answers every item and decided nothing it wrote
 * to refuse. A statement the database refused wrote nothing either.
 */
export type AloneWork<I, T> = (
  db: Kysely<Database>,
  items: readonly I[],
  kind: DatabaseKind,
) => Promise<Outcome<T>[] | undefined>;

/** A bulk work, and the statement that may store a whole batch of its items alone. */
export interface Bulk<I, T> {
  readonly together: BulkWork<I, T>;
  readonly alone?: AloneWork<I, T>;
}

interface Job {
  work: Work<unknown>;
  /** Jobs queued one after another with the same bulk work run through it together. */
  bulk?: { work: Bulk<unknown, unknown>; item: unknown } | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * PostgreSQL broke a deadlock by failing this job's statement. Two nodes' batches of one
 * account can wait on each other (one holds the balance row, the other an idempotency key the
 * first then inserts), which one transaction per order never could: such a job is run again
 * alone, in a transaction of its own, as it would have been without group commit.
 */
const isDeadlock = (error: unknown) => (error as { code?: string } | null)?.code === '40P01';

/**
 * The database server answered the statement with an error (pg's DatabaseError carries the
 * server's severity and SQLSTATE): it did not commit. A broken connection (ECONNRESET, EPIPE)
 * carries a code too, but no severity, and leaves unknown whether the commit happened.
 */
const isRefusedByServer = (error: unknown) =>
  error instanceof loadPgDriver().DatabaseError && typeof error.code === 'string';

/** Enough to amortise one fsync well; small enough that one batch never holds the lock long. */
const MAX_BATCH = 64;

/**
 * Group commit. Short write transactions that arrive while one commits are run together in the
 * next transaction, each inside its own savepoint, and share one COMMIT. A job that fails rolls
 * back only its savepoint. Nobody is answered before the COMMIT that holds their writes has
 * returned, so durability is unchanged; if that COMMIT fails, every job of the batch fails and
 * none of their writes exist.
 *
 * On SQLite every commit with synchronous=FULL waits for the disk and all writes share one
 * connection anyway: one lane for everything. On PostgreSQL the jobs of one lane (one account:
 * its orders all lock its balance row) share a transaction, so the row is locked once per
 * batch instead of each order waiting for the previous one's commit; lanes run in parallel on
 * the pool's connections.
 *
 * A job queued with `runBulk` goes, with the jobs of the same bulk work queued next to it,
 * through that work once: a few statements for all of them instead of a savepoint and a few
 * statements each, which on PostgreSQL are round trips made while the batch holds the lock.
 */
export class GroupCommit {
  /** The queue of each lane being drained; a lane is absent when idle. */
  private readonly lanes = new Map<string | number, Job[]>();
  /** Committed batches and the jobs in them, for tests and the bench. */
  readonly stats = { batches: 0, jobs: 0, largestBatch: 0 };
  private readonly target: BulkTarget;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {
    this.target = bulkTargetOf(db, kind);
  }

  /** `lane`: jobs that contend for the same rows (on PostgreSQL; SQLite has one lane). */
  run<T>(work: Work<T>, lane: string | number = 0): Promise<T> {
    return this.enqueue(work, undefined, lane);
  }

  /**
   * As `run`, but the item goes through `bulk` with the items queued next to it (the same
   * function), in one savepoint for all; `work` is the same job for one item, run when the
   * bulk statements fail.
   */
  runBulk<I, T>(
    bulk: Bulk<I, T> | BulkWork<I, T>,
    item: I,
    work: Work<T>,
    lane: string | number = 0,
  ): Promise<T> {
    const described = typeof bulk === 'function' ? { together: bulk } : bulk;
    return this.enqueue(work, { work: described as Bulk<unknown, unknown>, item }, lane);
  }

  private enqueue<T>(work: Work<T>, bulk: Job['bulk'], lane: string | number): Promise<T> {
    const key = this.kind === 'sqlite' ? 0 : lane;
    return new Promise<T>((resolve, reject) => {
      const job = { work: work as Work<unknown>, bulk, resolve: resolve as (value: unknown) => void, reject };
      const queue = this.lanes.get(key);
      if (queue) {
        queue.push(job);
        return;
      }
      const fresh = [job];
      this.lanes.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  private async drain(lane: string | number, queue: Job[]): Promise<void> {
    try {
      while (queue.length > 0) {
        // Let the requests that arrived meanwhile reach the queue: better-sqlite3 is
        // synchronous, so nothing else ran while the last batch committed.
        await new Promise((resolve) => setImmediate(resolve));
        await this.commitBatch(queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.lanes.delete(lane);
    }
  }

  /**
   * `isBulkAllowed` false: every job alone in its savepoint, the way a batch runs again after
   * a bulk work threw (its transaction rolled back whole, nobody answered yet).
   */
  private async commitBatch(batch: Job[], isBulkAllowed = true): Promise<void> {
    if (isBulkAllowed && (await this.commitAlone(batch))) return;
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const run of runsOf(batch, isBulkAllowed))
          outcomes.push(...(await runJobs(trx, run, this.target)));
      });
    } catch (error) {
      if (error instanceof BulkWorkFailed) return this.commitBatch(batch, false);
      for (const job of batch) job.reject(error);
      return;
    }
    this.countBatch(batch);
    batch.forEach((job, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else if (isDeadlock(outcome.error))
        this.db.transaction().execute(job.work).then(job.resolve, job.reject);
      else job.reject(outcome.error);
    });
  }

  /**
   * The batch in one statement of its own when it is all one bulk work's items and its `alone`
   * applies: true when the batch is answered. A statement the database refused wrote nothing:
   * the batch then goes through its transaction as usual. Any other failure may have come
   * after the commit, so the batch fails, as when a COMMIT fails.
   */
  private async commitAlone(batch: readonly Job[]): Promise<boolean> {
    const bulk = batch[0]?.bulk?.work;
    if (!bulk?.alone || batch.some((job) => job.bulk?.work.alone !== bulk.alone)) return false;
    let outcomes: Outcome[] | undefined;
    try {
      outcomes = await bulk.alone(
        this.db,
        batch.map((job) => job.bulk?.item),
        this.kind,
      );
    } catch (error) {
      if (isRefusedByServer(error)) return false;
      for (const job of batch) job.reject(error);
      return true;
    }
    if (!outcomes) return false;
    this.countBatch(batch);
    batch.forEach((job, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome?.error ?? new Error('group commit: a job without its outcome'));
    });
    return true;
  }

  private countBatch(batch: readonly Job[]): void {
    this.stats.batches += 1;
    this.stats.jobs += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    groupCommitBatchSize.observe(batch.length);
  }
}

function bulkTargetOf(db: Kysely<Database>, kind: DatabaseKind): BulkTarget {
  if (kind === 'postgres') return { kind };
  if (!(db instanceof SqliteKysely))
    throw new Error("group commit on SQLite needs the storage's SqliteKysely");
  return { kind, connection: db.sqliteConnection };
}

/** A bulk work threw: the batch's transaction is rolled back and the batch runs job by job. */
class BulkWorkFailed extends Error {
  constructor(readonly reason: unknown) {
    super('group commit: a bulk work failed, its batch runs again job by job');
  }
}

/** The batch cut where the bulk work changes: consecutive jobs of one bulk work go together. */
function runsOf(batch: readonly Job[], isBulkAllowed: boolean): Job[][] {
  if (!isBulkAllowed) return batch.map((job) => [{ ...job, bulk: undefined }]);
  const runs: Job[][] = [];
  for (const job of batch) {
    const last = runs.at(-1);
    const head = last?.[0];
    if (last && head?.bulk && job.bulk && head.bulk.work.together === job.bulk.work.together) last.push(job);
    else runs.push([job]);
  }
  return runs;
}

/**
 * A bulk work runs without a savepoint of its own (two round trips fewer per batch on
 * PostgreSQL): when it throws, the whole transaction rolls back and the batch runs again.
 */
async function runJobs(trx: Executor, jobs: readonly Job[], target: BulkTarget): Promise<Outcome[]> {
  const bulk = jobs[0]?.bulk;
  if (bulk) {
    const items = jobs.map((job) => job.bulk?.item);
    try {
      const outcomes = await bulk.work.together(trx, items, target);
      if (outcomes.length === jobs.length) return outcomes;
    } catch (error) {
      throw new BulkWorkFailed(error);
    }
    throw new BulkWorkFailed(new Error('a bulk work answered for fewer or more items than it got'));
  }
  const outcomes: Outcome[] = [];
  for (const job of jobs) outcomes.push(await runInSavepoint(trx, job.work));
  return outcomes;
}

async function runInSavepoint(trx: Executor, work: Work<unknown>): Promise<Outcome> {
  await sql`savepoint group_commit_job`.execute(trx);
  try {
    const value = await work(trx);
    await sql`release savepoint group_commit_job`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint group_commit_job`.execute(trx);
    await sql`release savepoint group_commit_job`.execute(trx);
    return { ok: false, error };
  }
}
