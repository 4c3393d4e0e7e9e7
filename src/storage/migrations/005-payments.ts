import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';
import { forbidUpdatesAndDeletes, idColumn } from './001-initial.js';

const PAYMENT_STATUSES = `'pending', 'succeeded', 'failed', 'expired', 'refunded', 'partially_refunded', 'disputed'`;

/**
 * Money in: payments (card through Stripe, bank transfer, or recorded by hand), the link from
 * each ledger entry to the payment it moved money for, the customer's outstanding amount (what
 * a refund or a lost dispute could not take from the balance), gapless receipt numbers per
 * year, the Stripe events already applied and the bank statement entries already imported.
 */
export function paymentsMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const id = idColumn(kind);
      await db.schema
        .createTable('payments')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('method', 'text', (c) =>
          c.notNull().check(sql`method in ('card', 'bank_transfer', 'manual')`),
        )
        .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${PAYMENT_STATUSES})`)))
        .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR').check(sql`currency = 'EUR'`))
        .addColumn('amount_units', 'bigint', (c) => c.notNull().check(sql`amount_units > 0`))
        .addColumn('credited_units', 'bigint', (c) =>
          c.notNull().defaultTo(0).check(sql`credited_units >= 0`),
        )
        .addColumn('refunded_units', 'bigint', (c) =>
          c.notNull().defaultTo(0).check(sql`refunded_units >= 0`),
        )
        .addColumn('disputed_units', 'bigint', (c) =>
          c.notNull().defaultTo(0).check(sql`disputed_units >= 0`),
        )
        .addColumn('reversed_units', 'bigint', (c) =>
          c.notNull().defaultTo(0).check(sql`reversed_units >= 0`),
        )
        .addColumn('dispute_status', 'text')
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        .addColumn('stripe_session_id', 'text', (c) => c.unique())
        .addColumn('stripe_payment_intent_id', 'text')
        .addColumn('stripe_charge_id', 'text')
        .addColumn('receipt_number', 'text', (c) => c.unique())
        .addColumn('note', 'text')
        .addColumn('actor', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('succeeded_at', 'bigint')
        .addCheckConstraint('payments_reversal_within_credit', sql`reversed_units <= credited_units`)
        .execute();
      await db.schema.createIndex('payments_account').on('payments').columns(['account_id', 'id']).execute();
      await db.schema.createIndex('payments_status').on('payments').columns(['status', 'id']).execute();
      await db.schema.createIndex('payments_created').on('payments').column('created_at').execute();
      await db.schema
        .createIndex('payments_intent')
        .on('payments')
        .column('stripe_payment_intent_id')
        .execute();

      await db.schema
        .alterTable('accounts')
        .addColumn('outstanding_units', 'bigint', (c) =>
          c.notNull().defaultTo(0).check(sql`outstanding_units >= 0`),
        )
        .execute();
      // Set when the panel itself suspended the account for an outstanding amount, so settling
      // it lifts that suspension but never one an operator decided.
      await db.schema
        .alterTable('accounts')
        .addColumn('is_suspended_for_outstanding', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .alterTable('ledger_entries')
        .addColumn('payment_id', 'bigint', (c) => c.references('payments.id'))
        .execute();
      // A payment is credited once, whatever arrives twice (the database says so too).
      await db.schema
        .createIndex('ledger_entries_one_deposit_per_payment')
        .on('ledger_entries')
        .column('payment_id')
        .unique()
        .where(sql.ref('kind'), '=', 'deposit')
        .execute();
      await db.schema
        .createIndex('ledger_entries_payment')
        .on('ledger_entries')
        .columns(['payment_id', 'id'])
        .execute();

      await db.schema
        .createTable('receipt_counters')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('last_number', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('stripe_events')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('payment_id', 'bigint')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('bank_statement_entries')
        .addColumn('entry_key', 'text', (c) => c.primaryKey())
        .addColumn('statement_id', 'text', (c) => c.notNull())
        .addColumn('amount_units', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('booking_date', 'text')
        .addColumn('remittance', 'text', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('payment_id', 'bigint', (c) => c.references('payments.id'))
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'bigint', (c) => c.notNull())
        .execute();

      await backfillLegacyDeposits(db, kind);
    },
  };
}

/**
 * Deposits booked before payments existed (operator credits, opening balances) become
 * payments recorded by hand, so that every deposit entry names its payment. The ledger is
 * append-only; this one-time link is the only update it ever gets, with its guard lifted and
 * restored inside the migration's own transaction.
 */
async function backfillLegacyDeposits(db: Kysely<unknown>, kind: DatabaseKind): Promise<void> {
  const { rows } = await sql<{
    id: number;
    account_id: number;
    amount_units: number;
    created_at: number;
    actor: string | null;
  }>`
    select id, account_id, amount_units, created_at, actor from ledger_entries where kind = 'deposit' order by id`.execute(
    db,
  );
  if (rows.length === 0) return;
  if (kind === 'sqlite') {
    await sql`drop trigger ledger_entries_no_update`.execute(db);
    await sql`drop trigger ledger_entries_no_delete`.execute(db);
  } else {
    await sql`drop trigger ledger_entries_append_only on ledger_entries`.execute(db);
    await sql`drop function ledger_entries_append_only()`.execute(db);
  }
  for (const entry of rows) {
    const { rows: inserted } = await sql<{ id: number }>`
      insert into payments (account_id, method, status, currency, amount_units, credited_units, reference,
                            note, actor, created_at, updated_at, succeeded_at)
      values (${entry.account_id}, 'manual', 'succeeded', 'EUR', ${entry.amount_units}, ${entry.amount_units},
              ${`LEGACY-${entry.id}`}, 'deposit booked before payments were recorded', ${entry.actor},
              ${entry.created_at}, ${entry.created_at}, ${entry.created_at})
      returning id`.execute(db);
    await sql`update ledger_entries set payment_id = ${inserted[0]?.id} where id = ${entry.id}`.execute(db);
  }
  await forbidUpdatesAndDeletes(db, kind, 'ledger_entries');
}
