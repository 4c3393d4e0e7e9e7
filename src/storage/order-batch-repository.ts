import { type Insertable, type Kysely, sql } from 'kysely';
import { changeBalanceIfCovered } from './accounts-repository.js';
import type { DatabaseKind } from './connection.js';
import type { BulkTarget } from './group-commit.js';
import {
  debitIfCoversAllSqlite,
  insertChargedOrdersSqlite,
  insertCoveredOrdersAloneSqlite,
} from './order-batch-sqlite.js';
import { PostgresKysely } from './postgres-kysely.js';
import type { Database, Executor, OrdersTable } from './schema.js';
import { SqliteKysely } from './sqlite-kysely.js';

/**
 * The statements of a batch of orders placed together (src/app/place-order-batch.ts): one
 * statement for each step of the whole batch instead of one per order, since on PostgreSQL
 * every statement is a round trip while the batch holds its accounts' balance rows.
 */

export interface LockedAccount {
  id: number;
  balance_units: number;
  low_balance_threshold_units: number | null;
  is_low_balance_notified: number;
}

/**
 * Locks the accounts' rows for the rest of the transaction and reads them as last committed:
 * an UPDATE that changes nothing takes the row lock as SELECT ... FOR UPDATE would, on both
 * databases (SQLite's transaction holds the write lock already). Assigning the balance to
 * itself touches none of the columns the key-cache triggers watch.
 */
export function lockAccountForDebit(db: Executor, accountId: number): Promise<LockedAccount | undefined> {
  return db
    .updateTable('accounts')
    .set((eb) => ({ balance_units: eb.ref('balance_units') }))
    .where('id', '=', accountId)
    .returning(['id', 'balance_units', 'low_balance_threshold_units', 'is_low_balance_notified'])
    .executeTakeFirst();
}

/**
 * The orders and their charges' ledger entries (`balancesAfterUnits`, one per order, in the
 * same order), as postLedgerEntry writes them one by one; the orders' ids in that order. On
 * PostgreSQL one statement (a round trip fewer while the batch holds the balance row): the
 * entries join the inserted orders by their rank. On SQLite prepared statements, a row each.
 */
export async function insertChargedOrders(
  db: Executor,
  target: BulkTarget,
  orders: readonly Insertable<OrdersTable>[],
  balancesAfterUnits: readonly number[],
): Promise<number[]> {
  if (target.kind === 'sqlite')
    return insertChargedOrdersSqlite(target.connection, orders, balancesAfterUnits);
  const ranks = balancesAfterUnits.map((_, k) => k + 1);
  const rows = await db
    .with('new_orders', (q) =>
      q.insertInto('orders').values(orders).returning(['id', 'account_id', 'charge_units', 'created_at']),
    )
    .insertInto('ledger_entries')
    .columns(['account_id', 'kind', 'amount_units', 'balance_after_units', 'order_id', 'created_at'])
    .expression(
      sql`select o.account_id, 'charge', -o.charge_units, b.balance_after, o.id, o.created_at
        from (select *, row_number() over (order by id) as rank from new_orders) o
        join unnest(${ranks}::bigint[], ${balancesAfterUnits}::bigint[]) as b(rank, balance_after)
          on b.rank = o.rank
        order by o.id`,
    )
    .returning('order_id')
    .execute();
  if (rows.length !== orders.length) throw new Error('charged orders: an order without its ledger entry');
  return rows.map((row) => row.order_id as number).sort((a, b) => a - b);
}

/**
 * Takes the batch's debits from the locked balance, still conditional (style rule 5): the
 * balance after, or undefined when it would go below zero, which the lock makes impossible
 * unless the decision was wrong.
 */
export async function debitLockedBalance(
  db: Executor,
  accountId: number,
  debitedUnits: number,
): Promise<number | undefined> {
  const change = await changeBalanceIfCovered(db, accountId, -debitedUnits);
  return change.isApplied ? change.balanceAfterUnits : undefined;
}

/**
 * The usual case in one statement: the balance covers every order of the batch, so debit
 * their sum at once (which locks the row) and read what is needed to replay their decisions.
 * undefined when it does not cover them all: nothing changed, and nothing is locked either.
 */
export async function debitIfCoversAll(
  db: Executor,
  target: BulkTarget,
  accountId: number,
  debitedUnits: number,
): Promise<LockedAccount | undefined> {
  if (target.kind === 'sqlite') return debitIfCoversAllSqlite(target.connection, accountId, debitedUnits);
  return db
    .updateTable('accounts')
    .set((eb) => ({ balance_units: eb('balance_units', '-', debitedUnits) }))
    .where('id', '=', accountId)
    .where('balance_units', '>=', debitedUnits)
    .returning(['id', 'balance_units', 'low_balance_threshold_units', 'is_low_balance_notified'])
    .executeTakeFirst();
}

/** The columns an order of a batch is stored with, and their PostgreSQL array types. */
const BATCH_ORDER_COLUMNS = [
  ['service_id', 'int8'],
  ['link', 'text'],
  ['quantity', 'int8'],
  ['comments', 'text'],
  ['charge_units', 'int8'],
  ['status', 'text'],
  ['remains', 'int8'],
  ['created_at', 'int8'],
  ['updated_at', 'int8'],
  ['cost_per_1000_units', 'int8'],
  ['cost_units', 'int8'],
] as const;

/**
 * The usual case committed on its own: when the account's balance covers all the orders of one
 * account and leaves it at or above its low-balance threshold (or the mail for this fall is
 * sent already), the debit of their sum, the orders and their ledger entries; the orders' ids
 * in the order given. undefined when the balance does not qualify: then nothing was written.
 * The orders carry no drip-feed runs. PostgreSQL: one statement, so one round trip. SQLite: the
 * writer thread's transaction (order-batch-sqlite.ts); undefined on a database without one.
 */
export async function insertCoveredOrdersAlone(
  db: Kysely<Database>,
  kind: DatabaseKind,
  accountId: number,
  orders: readonly Insertable<OrdersTable>[],
): Promise<number[] | undefined> {
  if (kind === 'sqlite')
    return db instanceof SqliteKysely ? insertCoveredOrdersAloneSqlite(db, accountId, orders) : undefined;
  const totalUnits = orders.reduce((sum, order) => sum + order.charge_units, 0);
  const arrays = BATCH_ORDER_COLUMNS.map(
    ([column, type]) => sql`${orders.map((order) => order[column] ?? null)}::${sql.raw(type)}[]`,
  );
  const names = sql.raw(BATCH_ORDER_COLUMNS.map(([column]) => column).join(', '));
  const selected = sql.raw(BATCH_ORDER_COLUMNS.map(([column]) => `o.${column}`).join(', '));
  const query = sql<{ order_id: number }>`with debit as (
      update accounts set balance_units = balance_units - ${totalUnits}
      where id = ${accountId} and balance_units >= ${totalUnits}
        and (low_balance_threshold_units is null or is_low_balance_notified = 1
          or balance_units - ${totalUnits} >= low_balance_threshold_units)
      returning balance_units + ${totalUnits} as before_units
    ), new_orders as (
      insert into orders (account_id, ${names})
      select ${accountId}, ${selected}
        from unnest(${sql.join(arrays)}) with ordinality as o(${names}, rank)
        where exists (select 1 from debit)
        order by o.rank
      returning id, charge_units, created_at
    )
    insert into ledger_entries (account_id, kind, amount_units, balance_after_units, order_id, created_at)
    select ${accountId}, 'charge', -o.charge_units,
        d.before_units - sum(o.charge_units) over (order by o.id), o.id, o.created_at
      from new_orders o cross join debit d
      order by o.id
    returning order_id`;
  // One text whatever the batch (its orders are arrays): parsed and planned once per connection,
  // which took a seventh of PostgreSQL's CPU per order (npm run bench, alternating runs).
  const rows =
    db instanceof PostgresKysely
      ? await db.executePrepared('insert_covered_orders_alone', query.compile(db))
      : (await query.execute(db)).rows;
  // Committed already: every inserted order has its entry (the join with the one debit row).
  if (rows.length === 0) return undefined;
  return rows.map((row) => row.order_id).sort((a, b) => a - b);
}
