import type SqliteDatabase from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { formatUnits } from '../domain/money.js';
import type { LockedAccount } from './order-batch-repository.js';
import type { OrdersTable } from './schema.js';
import type { SqliteKysely } from './sqlite-kysely.js';
import type { CoveredOrdersWrite } from './sqlite-order-writer.js';

/**
 * SQLite: the statements of a batch of orders (order-batch-repository.ts), prepared once on the
 * connection and run straight on it, inside the group-commit transaction Kysely holds open there.
 * Building and compiling a Kysely INSERT of the whole batch cost about as much main-thread time
 * as SQLite's own work for its rows (npm run bench, BENCH_PROFILE=1). The statements are the
 * ones Kysely built: one INSERT of all the orders (of the columns they set, so a column added
 * to orders later is stored as before) and one of all their entries, prepared once for each
 * number of rows a batch has (at most group commit's MAX_BATCH). A prepared statement run
 * once per row cost SQLite half as much again as one statement for the batch (measured with
 * 50 orders a batch; each statement has its own start and end, AUTOINCREMENT's included).
 */

/** An SQL name as Kysely's typed rows have them: safe to write into a statement's text. */
const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

/** The ids of the new orders, as a list of numbers (`pluck`). */
function insertOrders(columns: readonly string[], rows: number): string {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return `insert into orders (${columns.join(', ')}) values ${Array(rows).fill(row).join(', ')} returning id`;
}

const CHARGE_ENTRY_ROW = "(?, 'charge', ?, ?, ?, null, null, ?)";
const insertChargeEntries = (rows: number) =>
  `insert into ledger_entries
    (account_id, kind, amount_units, balance_after_units, order_id, reason, actor, created_at)
  values ${Array(rows).fill(CHARGE_ENTRY_ROW).join(', ')}`;

const DEBIT_IF_COVERS_ALL = `update accounts set balance_units = balance_units - ?
  where id = ? and balance_units >= ?
  returning id, balance_units, low_balance_threshold_units, is_low_balance_notified`;

/**
 * The covered batch's debit (SqliteOrderWriter): the sum, when the balance covers it and leaves
 * it at or above the low-balance threshold (or the mail for this fall is sent already), as
 * PostgreSQL's insertCoveredOrdersAlone decides; answers the balance before it.
 */
const DEBIT_COVERED_WITHOUT_CROSSING = `update accounts set balance_units = balance_units - @total
  where id = @account and balance_units >= @total
    and (low_balance_threshold_units is null or is_low_balance_notified = 1
      or balance_units - @total >= low_balance_threshold_units)
  returning balance_units + @total`;

interface BatchStatements {
  debitIfCoversAll: SqliteDatabase.Statement;
  /** By the statement's text: the orders' columns and the number of rows. */
  insertOrders: Map<string, SqliteDatabase.Statement>;
  /** By the number of rows. */
  insertChargeEntries: Map<number, SqliteDatabase.Statement>;
}

const prepared = new WeakMap<SqliteDatabase.Database, BatchStatements>();

/**
 * The connection's statements, prepared on first use (the tables exist only once migrated).
 * Only inside a transaction: outside one, a write here would commit on its own, with no
 * group-commit sync behind it.
 */
function statementsOf(connection: SqliteDatabase.Database): BatchStatements {
  if (!connection.inTransaction) throw new Error('batch statements run only inside a transaction');
  let statements = prepared.get(connection);
  if (!statements) {
    statements = {
      debitIfCoversAll: connection.prepare(DEBIT_IF_COVERS_ALL),
      insertOrders: new Map(),
      insertChargeEntries: new Map(),
    };
    prepared.set(connection, statements);
  }
  return statements;
}

/** `cache`'s value for `key`, made once. The keys are few: orders' column sets × batch sizes. */
function once<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/**
 * The columns the orders set, as Kysely would insert them: those whose value is not undefined.
 * The orders of a batch are built alike (place-order.ts), so all set the same ones; undefined
 * when they differ: they are then refused (the batch runs order by order), never stored with a
 * column dropped.
 */
function sharedColumnsOf(
  orders: readonly Insertable<OrdersTable>[],
): (keyof Insertable<OrdersTable>)[] | undefined {
  const first = orders[0];
  if (!first) throw new Error('batch order: no orders');
  const columns = (Object.keys(first) as (keyof Insertable<OrdersTable>)[]).filter(
    (column) => first[column] !== undefined,
  );
  for (const column of columns)
    if (!PLAIN_NAME.test(column)) throw new Error(`batch order: unexpected column name ${column}`);
  for (const order of orders) {
    let setCount = 0;
    for (const column in order) if (order[column as keyof typeof order] !== undefined) setCount += 1;
    if (setCount !== columns.length || columns.some((column) => order[column] === undefined))
      return undefined;
  }
  return columns;
}

/** The text of the orders' INSERT, by columns and number of rows, built once. */
const orderInsertTexts = new Map<string, string>();
const orderInsertText = (columns: readonly string[], rows: number) =>
  once(orderInsertTexts, `${columns.join(', ')} × ${rows}`, () =>
    insertOrders([...columns, 'status_wire'], rows),
  );

/** The text of the entries' INSERT, by number of rows, built once. */
const entryInsertTexts = new Map<number, string>();
const entryInsertText = (rows: number) => once(entryInsertTexts, rows, () => insertChargeEntries(rows));

/**
 * A new order's `status_wire` (migration 021), written with the row: the insert trigger would
 * otherwise write the row a second time, 5 to 7 µs of the ~55 µs an order costs the main thread
 * (in-process, 25 orders a batch). The same text as the migration's SQL, which
 * test/status-wire.test.ts holds to the contract for an order as placed.
 */
function newOrderStatusWire(order: Insertable<OrdersTable>): string {
  const netUnits = order.charge_units - (order.refunded_units ?? 0);
  return (
    `{"charge":"${formatUnits(netUnits)}","start_count":"${order.start_count ?? 0}",` +
    `"status":"${order.status}","remains":"${order.remains}","currency":"EUR"}`
  );
}

/** The orders' values for insertOrders, row after row, each row's `status_wire` last. */
function orderValuesOf(
  orders: readonly Insertable<OrdersTable>[],
  columns: readonly (keyof Insertable<OrdersTable>)[],
): unknown[] {
  const values: unknown[] = [];
  for (const order of orders) {
    for (const column of columns) values.push(order[column]);
    values.push(newOrderStatusWire(order));
  }
  return values;
}

/** SQLite's debitIfCoversAll (order-batch-repository.ts). */
export function debitIfCoversAllSqlite(
  connection: SqliteDatabase.Database,
  accountId: number,
  debitedUnits: number,
): LockedAccount | undefined {
  const { debitIfCoversAll } = statementsOf(connection);
  return debitIfCoversAll.get(debitedUnits, accountId, debitedUnits) as LockedAccount | undefined;
}

/**
 * The orders, then their charges' ledger entries (`balancesAfterUnits`, one per order, in the
 * same order), as insertChargedOrders writes them; the orders' ids in the order given. The ids
 * come from the growing rowid row after row, so the ascending ids follow the rows, whatever
 * order RETURNING lists them in.
 */
export function insertChargedOrdersSqlite(
  connection: SqliteDatabase.Database,
  orders: readonly Insertable<OrdersTable>[],
  balancesAfterUnits: readonly number[],
): number[] {
  if (balancesAfterUnits.length !== orders.length) throw new Error('batch order: a balance for each order');
  const statements = statementsOf(connection);
  const rows = orders.length;
  const columns = sharedColumnsOf(orders);
  if (!columns) throw new Error('batch order: the orders of a batch set different columns');
  const text = orderInsertText(columns, rows);
  const insert = once(statements.insertOrders, text, () => connection.prepare(text).pluck(true));
  const ids = (insert.all(orderValuesOf(orders, columns)) as number[]).sort((a, b) => a - b);
  if (ids.length !== rows) throw new Error('batch order: an order not inserted');
  const entries: unknown[] = [];
  orders.forEach((order, k) => {
    entries.push(order.account_id, -order.charge_units, balancesAfterUnits[k], ids[k], order.created_at);
  });
  once(statements.insertChargeEntries, rows, () => connection.prepare(entryInsertText(rows))).run(entries);
  return ids;
}

/**
 * SQLite's insertCoveredOrdersAlone (order-batch-repository.ts): one account's orders, their
 * debit and their entries stored by the connection's order writer, on its own thread, in a
 * transaction of its own; the same rows as insertChargedOrdersSqlite after the debit. The main
 * connection is held meanwhile, so no transaction of this process waits on SQLite's lock with
 * the event loop blocked. undefined, with nothing written, when the balance does not qualify,
 * a statement failed, or the database has no writer (in memory).
 */
export async function insertCoveredOrdersAloneSqlite(
  db: SqliteKysely,
  accountId: number,
  orders: readonly Insertable<OrdersTable>[],
): Promise<number[] | undefined> {
  const writer = db.orderWriter;
  const columns = writer && orders.length > 0 ? sharedColumnsOf(orders) : undefined;
  if (!writer || !columns) return undefined;
  const chargesUnits = orders.map((order) => order.charge_units);
  const request: CoveredOrdersWrite = {
    debitSql: DEBIT_COVERED_WITHOUT_CROSSING,
    debitParams: { total: chargesUnits.reduce((sum, charge) => sum + charge, 0), account: accountId },
    ordersSql: orderInsertText(columns, orders.length),
    orderValues: orderValuesOf(orders, columns),
    entriesSql: entryInsertText(orders.length),
    accountId,
    chargesUnits,
    createdAts: orders.map((order) => order.created_at),
  };
  return db.connection().execute(() => writer.write(request));
}
