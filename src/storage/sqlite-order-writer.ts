import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { IdleThread } from './idle-thread.js';

/**
 * One account's covered orders as the writer thread stores them: the statements' texts and
 * values are built here (order-batch-sqlite.ts); the thread only runs them.
 */
export interface CoveredOrdersWrite {
  /**
   * Debits the batch's sum (`@total`) from the account (`@account`) when it is covered and
   * crosses no threshold; answers the balance before.
   */
  readonly debitSql: string;
  readonly debitParams: { readonly total: number; readonly account: number };
  /** Inserts the orders, answering their ids. */
  readonly ordersSql: string;
  readonly orderValues: readonly unknown[];
  /** Inserts one charge entry per order: account, amount, balance after, order id, time. */
  readonly entriesSql: string;
  readonly accountId: number;
  readonly chargesUnits: readonly number[];
  readonly createdAts: readonly number[];
}

type WriteReply =
  | { ids: number[] }
  /** Rolled back: the balance did not qualify, or a statement failed before the commit. */
  | { ids: null; reason?: string }
  /** The COMMIT itself failed: the orders may or may not be stored. */
  | { commitFailed: string };

/** The COMMIT of the writer thread failed: whether its orders are stored is unknown. */
export class WriterCommitFailed extends Error {}

/**
 * The thread's CommonJS (idle-thread.ts). Its connection is a second one to the
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
      return { ids: null };
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
    return { ids: null, reason: String(error && error.message) };
  }
  try {
    commit.run();
  } catch (error) {
    if (db.inTransaction) rollback.run();
    return { commitFailed: String(error && error.message) };
  }
  return { ids };
}
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage({ id: m.id, reply: write(m.request) });
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
  private readonly thread: IdleThread<CoveredOrdersWrite, WriteReply>;
  /** Writes stored by the thread, and those it handed back; for tests and the bench. */
  readonly stats = { stored: 0, handedBack: 0 };

  constructor(file: string) {
    this.thread = new IdleThread({
      name: 'the SQLite order writer',
      source: WRITER_SOURCE,
      // Absolute now, beside the main connection's open: a later chdir must not move the thread's.
      workerData: { driver: DRIVER, file: resolve(file) },
      idleMs: IDLE_MS,
      // A batch's message is a few tens of kB: a small young generation keeps the thread's
      // resident memory about 11 MB instead of 28 (issue 12's growth aim: a node under 150 MB).
      resourceLimits: { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 64 },
    });
  }

  /** The orders' ids, or undefined when the thread handed the batch back with nothing written. */
  async write(request: CoveredOrdersWrite): Promise<number[] | undefined> {
    const reply = await this.thread.ask(request);
    if ('commitFailed' in reply) throw new WriterCommitFailed(reply.commitFailed);
    if (reply.ids === null) {
      this.stats.handedBack += 1;
      return undefined;
    }
    this.stats.stored += 1;
    return reply.ids;
  }

  /** Ends the thread once it has answered every write asked of it; a later write starts a new one. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
