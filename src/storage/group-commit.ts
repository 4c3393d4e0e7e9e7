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

/** Enough to amortise one fsync well; small enough that one batch never holds the lock long. */
const MAX_BATCH = 64;

/**
 * Group commit for the embedded database. On SQLite every commit with synchronous=FULL waits
 * for the disk, and all writes share one connection anyway; so the short write transactions
 * that arrive while one commits are run together in the next transaction, each inside its own
 * savepoint, and share one COMMIT. A job that fails rolls back only its savepoint. Nobody is
 * answered before the COMMIT that holds their writes has returned, so durability is unchanged;
 * if that COMMIT fails, every job of the batch fails and none of their writes exist.
 *
 * PostgreSQL has real concurrent transactions: there each job is simply its own transaction.
 */
export class GroupCommit {
  private readonly queue: Job[] = [];
  private isDraining = false;
  /** Committed batches and the jobs in them, for tests and the bench. */
  readonly stats = { batches: 0, jobs: 0, largestBatch: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    if (this.kind !== 'sqlite') return this.db.transaction().execute(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
      if (!this.isDraining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.isDraining = true;
    try {
      while (this.queue.length > 0) {
        // Let the requests that arrived meanwhile reach the queue: better-sqlite3 is
        // synchronous, so nothing else ran while the last batch committed.
        await new Promise((resolve) => setImmediate(resolve));
        await this.commitBatch(this.queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.isDraining = false;
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
