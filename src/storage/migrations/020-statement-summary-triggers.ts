import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * PostgreSQL: the summaries' deltas of inserted orders and ledger entries (017) written once per
 * statement from its transition table instead of once per row. A row trigger runs its INSERT
 * through PL/pgSQL for every row: for a group-committed batch of 20 orders (one INSERT of the
 * orders, one of their entries) that was 40 more statements' work, about half the batch's time
 * in the database. The rows written are the same. Deletes and updates keep their row triggers
 * (rare; an update pairs each old row with its new one). SQLite has no statement triggers and
 * no PL/pgSQL to pay for: its row triggers stay.
 */
export function statementSummaryTriggersMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'postgres') return;
      await sql`drop trigger orders_summary_insert on orders`.execute(db);
      await sql`create function inspiria_orders_inserted_delta() returns trigger language plpgsql as $$
        begin
          insert into order_summary_deltas
              (created_hour, service_id, account_id, status, orders, charge_units, refunded_units, cost_units)
            select created_at / 3600000, service_id, account_id, status, 1,
                charge_units, refunded_units, coalesce(cost_units, 0)
              from inserted_orders;
          return null;
        end $$`.execute(db);
      await sql`create trigger orders_summary_insert after insert on orders
        referencing new table as inserted_orders
        for each statement execute function inspiria_orders_inserted_delta()`.execute(db);
      await sql`create trigger orders_summary_delete after delete on orders
        for each row execute function inspiria_order_summary_delta()`.execute(db);
      await sql`drop trigger ledger_money_insert on ledger_entries`.execute(db);
      await sql`create function inspiria_ledger_inserted_delta() returns trigger language plpgsql as $$
        begin
          insert into ledger_money_deltas (hour, kind, amount_units)
            select created_at / 3600000, kind, amount_units
              from inserted_entries where kind in ('charge', 'refund');
          return null;
        end $$`.execute(db);
      await sql`create trigger ledger_money_insert after insert on ledger_entries
        referencing new table as inserted_entries
        for each statement execute function inspiria_ledger_inserted_delta()`.execute(db);
    },
  };
}
