import type { Insertable } from 'kysely';
import type { Executor, OrdersTable } from './schema.js';

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
 * One INSERT for all the orders; their ids in the order given. Ids come from one sequence
 * (PostgreSQL) or the growing rowid (SQLite) row after row, so the ascending ids follow the
 * rows, whatever order RETURNING lists them in.
 */
export async function insertOrders(
  db: Executor,
  orders: readonly Insertable<OrdersTable>[],
): Promise<number[]> {
  const rows = await db.insertInto('orders').values(orders).returning('id').execute();
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

export interface OrderCharge {
  accountId: number;
  orderId: number;
  amountUnits: number;
  balanceAfterUnits: number;
  createdAt: number;
}

/** The ledger entries of the charges, as postLedgerEntry writes them one by one. */
export async function insertChargeEntries(db: Executor, charges: readonly OrderCharge[]): Promise<void> {
  await db
    .insertInto('ledger_entries')
    .values(
      charges.map((charge) => ({
        account_id: charge.accountId,
        kind: 'charge' as const,
        amount_units: charge.amountUnits,
        balance_after_units: charge.balanceAfterUnits,
        order_id: charge.orderId,
        reason: null,
        actor: null,
        created_at: charge.createdAt,
      })),
    )
    .execute();
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
  const row = await db
    .updateTable('accounts')
    .set((eb) => ({ balance_units: eb('balance_units', '-', debitedUnits) }))
    .where('id', '=', accountId)
    .where('balance_units', '>=', debitedUnits)
    .returning('balance_units')
    .executeTakeFirst();
  return row?.balance_units;
}

/**
 * The usual case in one statement: the balance covers every order of the batch, so debit
 * their sum at once (which locks the row) and read what is needed to replay their decisions.
 * undefined when it does not cover them all: nothing changed, and nothing is locked either.
 */
export function debitIfCoversAll(
  db: Executor,
  accountId: number,
  debitedUnits: number,
): Promise<LockedAccount | undefined> {
  return db
    .updateTable('accounts')
    .set((eb) => ({ balance_units: eb('balance_units', '-', debitedUnits) }))
    .where('id', '=', accountId)
    .where('balance_units', '>=', debitedUnits)
    .returning(['id', 'balance_units', 'low_balance_threshold_units', 'is_low_balance_notified'])
    .executeTakeFirst();
}
