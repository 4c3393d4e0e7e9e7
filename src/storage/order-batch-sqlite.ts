import type SqliteDatabase from 'better-sqlite3';
import type { Insertable } from 'kysely';
import type { LockedAccount } from './order-batch-repository.js';
import type { OrdersTable } from './schema.js';

/**
 * SQLite: the statements of a batch of orders (order-batch-repository.ts), prepared once on the
 * connection and run straight on it, inside the group-commit transaction Kysely holds open there.
 * Building and compiling a Kysely INSERT of the whole batch cost about as much main-thread time
 * as SQLite's own work for its rows (npm run bench, BENCH_PROFILE=1). The statements are the
 * ones Kysely built, one INSERT of all the orders and one of all their entries, prepared once
 * for each number of rows a batch has (at most group commit's MAX_BATCH): a prepared statement
 * run once per row cost SQLite half as much again as one statement for the batch (measured
 * with 50 orders a batch; each statement has its own start and end, AUTOINCREMENT's included).
 */

/** The columns a batch's order is stored with (place-order.ts sets them all). */
const ORDER_COLUMNS = [
  'account_id',
  'service_id',
  'link',
  'quantity',
  'comments',
  'charge_units',
  'status',
  'remains',
  'runs',
  'interval_minutes',
  'created_at',
  'updated_at',
  'cost_per_1000_units',
  'cost_units',
] as const;
const ORDER_COLUMN_NAMES: ReadonlySet<string> = new Set(ORDER_COLUMNS);

const ORDER_ROW = `(${ORDER_COLUMNS.map(() => '?').join(', ')})`;

/** The ids of the new orders, as a list of numbers (`pluck`). */
const insertOrders = (rows: number) =>
  `insert into orders (${ORDER_COLUMNS.join(', ')}) values ${Array(rows).fill(ORDER_ROW).join(', ')} returning id`;

const CHARGE_ENTRY_ROW = "(?, 'charge', ?, ?, ?, null, null, ?)";
const insertChargeEntries = (rows: number) =>
  `insert into ledger_entries
    (account_id, kind, amount_units, balance_after_units, order_id, reason, actor, created_at)
  values ${Array(rows).fill(CHARGE_ENTRY_ROW).join(', ')}`;

const DEBIT_IF_COVERS_ALL = `update accounts set balance_units = balance_units - ?
  where id = ? and balance_units >= ?
  returning id, balance_units, low_balance_threshold_units, is_low_balance_notified`;

interface RowsStatements {
  insertOrders: SqliteDatabase.Statement;
  insertChargeEntries: SqliteDatabase.Statement;
}

interface BatchStatements {
  debitIfCoversAll: SqliteDatabase.Statement;
  /** By the number of rows. */
  byRows: Map<number, RowsStatements>;
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
    statements = { debitIfCoversAll: connection.prepare(DEBIT_IF_COVERS_ALL), byRows: new Map() };
    prepared.set(connection, statements);
  }
  return statements;
}

function rowsStatementsOf(connection: SqliteDatabase.Database, rows: number): RowsStatements {
  const { byRows } = statementsOf(connection);
  let statements = byRows.get(rows);
  if (!statements) {
    statements = {
      insertOrders: connection.prepare(insertOrders(rows)).pluck(true),
      insertChargeEntries: connection.prepare(insertChargeEntries(rows)),
    };
    byRows.set(rows, statements);
  }
  return statements;
}

/** The orders' values, row after row in ORDER_COLUMNS' order; a column outside them is refused, never dropped. */
function orderValues(orders: readonly Insertable<OrdersTable>[]): unknown[] {
  const values: unknown[] = [];
  for (const order of orders) {
    for (const column in order) {
      if (!ORDER_COLUMN_NAMES.has(column) && order[column as keyof typeof order] !== undefined)
        throw new Error(`batch order: column ${column} is not stored by the batch statement`);
    }
    for (const column of ORDER_COLUMNS) values.push(order[column] ?? null);
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
  const statements = rowsStatementsOf(connection, orders.length);
  const ids = (statements.insertOrders.all(orderValues(orders)) as number[]).sort((a, b) => a - b);
  if (ids.length !== orders.length) throw new Error('batch order: an order not inserted');
  const entries: unknown[] = [];
  orders.forEach((order, k) => {
    entries.push(order.account_id, -order.charge_units, balancesAfterUnits[k], ids[k], order.created_at);
  });
  statements.insertChargeEntries.run(entries);
  return ids;
}
