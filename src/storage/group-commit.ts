import { type Kysely, sql } from 'kysely';
import { groupCommitBatchSize } from '../observability/metrics.js';
import type { DatabaseKind } from './connection.js';
import type { Database, Executor } from './schema.js';

type Work<T> = (trx: Executor) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * PostgreSQL broke a deadlock by failing this job's statement. Two nodes' batches of one
 * account can wait on each other (one holds the balance row, the other an idempotency key the
 * first then inserts), which one transaction per order never could: such a job is run again
 * alone, in a transaction of its own, as it would have been without group commit.
 */
const isDeadlock = (error: unknown) => (error as { code?: string } | null)?.code === '40P01';

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
 */
export class GroupCommit {
  /** The queue of each lane being drained; a lane is absent when idle. */
  private readonly lanes = new Map<string | number, Job[]>();
  /** Committed batches and the jobs in them, for tests and the bench. */
  readonly stats = { batches: 0, jobs: 0, largestBatch: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  /** `lane`: jobs that contend for the same rows (on PostgreSQL; SQLite has one lane). */
  run<T>(work: Work<T>, lane: string | number = 0): Promise<T> {
    const key = this.kind === 'sqlite' ? 0 : lane;
    return new Promise<T>((resolve, reject) => {
      const job = { work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject };
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

  private async commitBatch(batch: Job[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const job of batch) outcomes.push(await runInSavepoint(trx, job.work));
      });
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    this.stats.batches += 1;
    this.stats.jobs += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    groupCommitBatchSize.observe(batch.length);
    batch.forEach((job, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else if (isDeadlock(outcome.error))
        this.db.transaction().execute(job.work).then(job.resolve, job.reject);
      else job.reject(outcome.error);
    });
  }
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
