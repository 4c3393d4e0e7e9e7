import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * A worker thread started on the first request and ended after `idleMs` without one: the
 * password judge's dictionaries (app/password-strength.ts) and SQLite's order writer
 * (storage/sqlite-order-writer.ts). Its `source` is plain CommonJS, run with `eval`, so the same
 * text runs beside the compiled panel and the TypeScript tests. It answers each `{ id, request }`
 * with `{ id, reply }`, and on the message `'close'` lets go of what it holds and closes its
 * `parentPort`, which ends it. It sits in storage, the lowest layer both users may import
 * (test/architecture.test.ts).
 */
export interface IdleThreadOptions {
  /** Names the thread in the error its callers get when it stops with requests unanswered. */
  readonly name: string;
  readonly source: string;
  readonly workerData: unknown;
  readonly idleMs: number;
  readonly resourceLimits?: ResourceLimits;
}

interface Pending<Reply> {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

export class IdleThread<Request, Reply> {
  private thread: Thread<Reply> | undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: IdleThreadOptions) {}

  /** The thread's reply; rejected when the thread stops or crashes before it answers. */
  ask(request: Request): Promise<Reply> {
    const thread = this.started();
    clearTimeout(this.idleTimer);
    // Held while a request is out: the process waits for the answer.
    thread.worker.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, request });
    });
  }

  /** Ends the thread once it has answered every request asked of it; a later request starts a new one. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    await thread.answered();
    if (thread.isLost) return;
    const exited = new Promise((resolve) => thread.worker.once('exit', resolve));
    thread.worker.postMessage('close');
    await exited;
  }

  private started(): Thread<Reply> {
    if (this.thread) return this.thread;
    const { source, workerData, resourceLimits, name } = this.options;
    const worker = new Worker(source, {
      eval: true,
      workerData,
      ...(resourceLimits ? { resourceLimits } : {}),
    });
    const thread = new Thread<Reply>(worker);
    worker.on('message', ({ id, reply }: { id: number; reply: Reply }) => {
      thread.take(id)?.resolve(reply);
      if (thread.pending.size === 0 && this.thread === thread) this.endWhenIdle(thread);
    });
    worker.on('error', (error) => this.lost(thread, error));
    worker.on('exit', () => this.lost(thread, new Error(`${name} stopped`)));
    this.thread = thread;
    return thread;
  }

  private endWhenIdle(thread: Thread<Reply>): void {
    // Idle, it never keeps a process (a CLI command, a test) from ending.
    thread.worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.thread === thread && thread.pending.size === 0) void this.close();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  /** The thread ended or crashed: what it was asked may or may not have been done. */
  private lost(thread: Thread<Reply>, error: Error): void {
    if (this.thread === thread) this.thread = undefined;
    thread.fail(error);
  }
}

/** One thread and the requests it has not answered yet. */
class Thread<Reply> {
  readonly pending = new Map<number, Pending<Reply>>();
  isLost = false;
  private waiting: (() => void)[] = [];

  constructor(readonly worker: Worker) {}

  take(id: number): Pending<Reply> | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) for (const wake of this.waiting.splice(0)) wake();
    return pending;
  }

  /** Resolves once every request asked of the thread is answered, or the thread is lost. */
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
