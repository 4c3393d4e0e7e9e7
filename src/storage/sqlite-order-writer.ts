import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * One account's covered orders as the writer thread stores them: the statements' texts and
 * values are built here (order-batch-sqlite.ts); the thread only runs them.
 */
export interface CoveredOrdersWrite {
  /** Debits the batch's sum when it is covered and crosses no threshold; answers the balance before. */
  readonly debitSql: string;
  readonly debitParams: readonly number[];
  /** Inserts the orders, answering their ids. */
  readonly ordersSql: string;
  readonly orderValues: readonly unknown[];
  /** Inserts one charge entry per order: account, amount, balance after, order id, time. */
  readonly entriesSql: string;
  readonly accountId: number;
  readonly chargesUnits: readonly number[];
  readonly createdAts: readonly number[];
}

type Reply =
  | { id: number; ids: number[] }
  /** Rolled back: the balance did not qualify, or a statement failed before the commit. */
  | { id: number; ids: null; reason?: string }
  /** The COMMIT itself failed: the orders may or may not be stored. */
  | { id: number; commitFailed: string };

interface Pending {
  resolve(ids: number[] | undefined): void;
  reject(error: Error): void;
}

/** The COMMIT of the writer thread failed: whether its orders are stored is unknown. */
export class WriterCommitFailed extends Error {}

/**
 * Plain CommonJS run by the thread (eval), so the same text runs beside the compiled panel and
 * the TypeScript tests, as the password judge's does. Its connection is a second one to the
 * same file, with the main connection's settings: COMMIT under synchronous=FULL, so a commit
 * is on the disk before any connection sees it (SQLite's walFrames syncs the WAL before it
 * publishes the frames in the wal-index), and before its orders are answered.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('cache_size = -2000');
const statements = new Map();
const statement = (text) => {
  let prepared = statements.get(text);
  if (!prepared) {
    if (statements.size >= 200) statements.clear();
    prepared = db.prepare(text);
    statements.set(text, prepared);
  }
  return prepared;
};
const begin = db.prepare('begin immediate');
const commit = db.prepare('commit');
const rollback = db.prepare('rollback');
function write(m) {
  let ids;
  try {
    begin.run();
    const before = statement(m.debitSql).pluck(true).get(m.debitParams);
    if (before === undefined) {
      rollback.run();
      return { id: m.id, ids: null };
    }
    ids = statement(m.ordersSql).pluck(true).all(m.orderValues).sort((a, b) => a - b);
    if (ids.length !== m.chargesUnits.length) throw new Error('an order not inserted');
    const entries = [];
    let balance = before;
    for (let k = 0; k < ids.length; k++) {
      balance -= m.chargesUnits[k];
      entries.push(m.accountId, -m.chargesUnits[k], balance, ids[k], m.createdAts[k]);
    }
    statement(m.entriesSql).run(entries);
  } catch (error) {
    if (db.inTransaction) rollback.run();
    return { id: m.id, ids: null, reason: String(error && error.message) };
  }
  try {
    commit.run();
  } catch (error) {
    if (db.inTransaction) rollback.run();
    return { id: m.id, commitFailed: String(error && error.message) };
  }
  return { id: m.id, ids };
}
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage(write(m));
});`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Ended after this long without a write, so an idle node does not keep the thread's ~11 MB.
 * Starting it again costs the next batch about 30 ms (the thread, its connection, its
 * statements): a panel ordering every few minutes pays that once per quiet spell, not per order.
 */
const IDLE_MS = 5 * 60_000;

/**
 * SQLite's plain orders, stored on a thread of their own. better-sqlite3 runs every statement
 * on the thread that calls it, and the batch's inserts, the COMMIT writing their pages to the
 * WAL and the checkpoints that follow every few hundred were a third of what an `add` cost the
 * event loop (npm run bench, BENCH_PROFILE=1). Here they run on a second connection, on
 * another core, while the event loop reads and answers requests: `add` went from 11,000-12,300
 * to 14,900-16,800 orders/s in runs alternating with the code before. The main connection is
 * held (by the caller, order-batch-sqlite.ts) while a write runs, so no transaction of this process
 * waits on SQLite's lock with the event loop blocked; other processes' transactions are waited
 * for on this thread. A write that did not qualify or failed before its COMMIT wrote nothing:
 * undefined, and the batch takes the main connection's path.
 */
export class SqliteOrderWriter {
  private thread: Thread | undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Writes stored by the thread, and those it handed back; for tests and the bench. */
  readonly stats = { stored: 0, handedBack: 0 };

  /** Absolute now, beside the main connection's open: a later chdir must not move the thread's. */
  private readonly file: string;

  constructor(file: string) {
    this.file = resolve(file);
  }

  write(request: CoveredOrdersWrite): Promise<number[] | undefined> {
    const thread = this.started();
    clearTimeout(this.idleTimer);
    thread.worker.ref();
    const id = this.nextId++;
    return new Promise((resolveWrite, reject) => {
      thread.pending.set(id, { resolve: resolveWrite, reject });
      thread.worker.postMessage({ id, ...request });
    });
  }

  /**
   * Ends the thread once it has answered every write asked of it; a write asked meanwhile
   * starts a new one.
   */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    await thread.answered();
    if (thread.isLost) return;
    const exited = new Promise((resolveExit) => thread.worker.once('exit', resolveExit));
    thread.worker.postMessage('close');
    await exited;
  }

  private started(): Thread {
    if (this.thread) return this.thread;
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: { driver: DRIVER, file: this.file },
      // A batch's message is a few tens of kB: a small young generation keeps the thread's
      // resident memory about 11 MB instead of 28 (issue 12's growth aim: a node under 150 MB).
      resourceLimits: { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 64 },
    });
    const thread = new Thread(worker);
    worker.on('message', (reply: Reply) => this.settle(thread, reply));
    worker.on('error', (error) => this.lost(thread, error));
    worker.on('exit', () => this.lost(thread, new Error('the SQLite order writer stopped')));
    this.thread = thread;
    return thread;
  }

  private settle(thread: Thread, reply: Reply): void {
    const pending = thread.take(reply.id);
    if ('commitFailed' in reply) pending?.reject(new WriterCommitFailed(reply.commitFailed));
    else if (reply.ids === null) {
      this.stats.handedBack += 1;
      pending?.resolve(undefined);
    } else {
      this.stats.stored += 1;
      pending?.resolve(reply.ids);
    }
    if (thread.pending.size === 0 && this.thread === thread) this.endWhenIdle(thread);
  }

  private endWhenIdle(thread: Thread): void {
    // Idle, it never keeps a process (a CLI command, a test) from ending.
    thread.worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.thread === thread && thread.pending.size === 0) void this.close();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  /** The thread ended or crashed: what it was asked may or may not be stored. */
  private lost(thread: Thread, error: Error): void {
    if (this.thread === thread) this.thread = undefined;
    thread.fail(error);
  }
}

/** One writer thread and the writes it has not answered yet. */
class Thread {
  readonly pending = new Map<number, Pending>();
  isLost = false;
  private waiting: (() => void)[] = [];

  constructor(readonly worker: Worker) {}

  take(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) for (const wake of this.waiting.splice(0)) wake();
    return pending;
  }

  /** Resolves once every write asked of the thread is answered, or the thread is lost. */
  answered(): Promise<void> {
    if (this.pending.size === 0 || this.isLost) return Promise.resolve();
    return new Promise((wake) => this.waiting.push(wake));
  }

  fail(error: Error): void {
    if (this.isLost) return;
    this.isLost = true;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }
}
