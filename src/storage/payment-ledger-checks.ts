import { sql } from 'kysely';
import type { Executor } from './schema.js';

/**
 * The payments' invariants as queries, each returning the rows that break one (an empty
 * result is clean): every deposit is one credited payment's, every credited payment has
 * exactly one deposit of what it credited, and what payments took back is either in the
 * ledger or still owed.
 */

const CREDITED = ['succeeded', 'refunded', 'partially_refunded', 'disputed'] as const;

/** Deposit entries with no payment, another account's payment, or not the payment's credit. */
export function depositsNotMatchingAPayment(db: Executor) {
  return db
    .selectFrom('ledger_entries')
    .leftJoin('payments', 'payments.id', 'ledger_entries.payment_id')
    .select([
      'ledger_entries.id',
      'ledger_entries.account_id',
      'ledger_entries.amount_units',
      'ledger_entries.payment_id',
      'payments.account_id as payment_account_id',
      'payments.credited_units',
      'payments.status',
    ])
    .where('ledger_entries.kind', '=', 'deposit')
    .where((eb) =>
      eb.or([
        eb('payments.id', 'is', null),
        eb('payments.account_id', '<>', eb.ref('ledger_entries.account_id')),
        eb('payments.credited_units', '<>', eb.ref('ledger_entries.amount_units')),
        eb('payments.status', 'not in', [...CREDITED]),
      ]),
    )
    .orderBy('ledger_entries.id')
    .execute();
}

/** Credited payments without exactly one deposit entry (a payment credited twice, or never). */
export function creditedPaymentsWithoutOneDeposit(db: Executor) {
  return db
    .selectFrom('payments')
    .select((eb) => [
      'payments.id',
      'payments.reference',
      eb
        .selectFrom('ledger_entries')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('ledger_entries.payment_id', '=', 'payments.id')
        .where('ledger_entries.kind', '=', 'deposit')
        .as('deposits'),
    ])
    .where('payments.status', 'in', [...CREDITED])
    .execute()
    .then((rows) => rows.filter((row) => Number(row.deposits ?? 0) !== 1));
}

/**
 * Accounts where what their payments took back (refunds and lost disputes) is not what the
 * ledger debited for payments plus what the customer still owes.
 */
export function accountsWithReversalMismatch(db: Executor) {
  const debited = db
    .selectFrom('ledger_entries')
    .select((eb) => ['account_id', eb.fn.sum<number>('amount_units').as('total')])
    .where('kind', '=', 'adjustment')
    .where('payment_id', 'is not', null)
    .groupBy('account_id')
    .as('debited');
  const reversed = db
    .selectFrom('payments')
    .select((eb) => ['account_id', eb.fn.sum<number>('reversed_units').as('total')])
    .groupBy('account_id')
    .as('reversed');
  return db
    .selectFrom('accounts')
    .leftJoin(debited, 'debited.account_id', 'accounts.id')
    .leftJoin(reversed, 'reversed.account_id', 'accounts.id')
    .select([
      'accounts.id',
      'accounts.email',
      'accounts.outstanding_units',
      'debited.total as debited',
      'reversed.total as reversed',
    ])
    .where(
      sql<number>`coalesce(${sql.ref('reversed.total')}, 0)`,
      '<>',
      sql<number>`${sql.ref('accounts.outstanding_units')} - coalesce(${sql.ref('debited.total')}, 0)`,
    )
    .orderBy('accounts.id')
    .execute();
}
