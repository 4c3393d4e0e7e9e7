/** The order every `add` request places, and every setup order too. */
export const BENCH_LINK = 'https://www.instagram.com/p/BenchPost1/';
export const BENCH_QUANTITY = 100;

/** What a benchmark server child tells its parent once it listens. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
  /** The customer's API key; the bench never prints or writes it. */
  apiKey: string;
  serviceId: number;
  /** Orders placed during setup, for the `status` batch. */
  orderIds: number[];
}

/** The child's answer to `check`: the ledger invariants after the load. */
export interface CheckedMessage {
  type: 'checked';
  isLedgerOk: boolean;
  violations: string[];
  orders: number;
}

export type ChildMessage = ReadyMessage | CheckedMessage | { type: 'failed'; message: string };
export type ParentMessage = { type: 'check' } | { type: 'stop' };

export type ServerMode = 'bare' | 'panel';

/** Passed to the child in its environment (BENCH_CHILD_OPTIONS, JSON). */
export interface ChildOptions {
  mode: ServerMode;
  /** For `panel`: the fresh database to migrate and fill. */
  databaseUrl?: string;
  logLevel: string;
  /** For `panel`: how many orders to place for the `status` batch. */
  statusOrders: number;
}
