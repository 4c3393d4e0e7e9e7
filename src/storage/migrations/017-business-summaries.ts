import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';
import type { Executor } from '../schema.js';
import { idColumn } from './001-initial.js';

/**
 * Maintained summaries for the admin overview and the business report (issues 12 and 13).
 *
 * The database writes a delta row, in the same transaction, for every change of an order that
 * the summaries count (placed, status, charge, refund, cost) and for every charge or refund in
 * the ledger: triggers, so no code path (API, group commit, worker, web, CLI) can forget one,
 * and insert-only rows, so no order waits on a hot counter row. A compaction step (the worker,
 * and each reader before it reads) moves the deltas into the summaries keyed by Rome day, which
 * TypeScript computes (src/app/compact-business-summaries.ts). Existing data is backfilled as
 * deltas, which the first compaction folds.
 */
export function businessSummariesMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await createTables(db, kind);
      await (kind === 'sqlite' ? sqliteTriggers(db) : postgresTriggers(db));
      await backfillBusinessSummaries(db);
    },
  };
}

const MONEY = ['charge_units', 'refunded_units', 'cost_units'] as const;

async function createTables(db: Kysely<unknown>, kind: DatabaseKind): Promise<void> {
  const id = idColumn(kind);
  let deltas = db.schema
    .createTable('order_summary_deltas')
    .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('created_hour', 'bigint', (c) => c.notNull())
    .addColumn('service_id', 'bigint', (c) => c.notNull())
    .addColumn('account_id', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('orders', 'bigint', (c) => c.notNull());
  for (const column of MONEY) deltas = deltas.addColumn(column, 'bigint', (c) => c.notNull());
  await deltas.execute();
  await db.schema
    .createTable('ledger_money_deltas')
    .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_units', 'bigint', (c) => c.notNull())
    .execute();
  // Per account also per month (`YYYY-MM`): a month's report reads one row per customer, not 31.
  for (const [table, period, keyColumn] of [
    ['order_day_service_totals', 'day', 'service_id'],
    ['order_day_account_totals', 'day', 'account_id'],
    ['order_month_account_totals', 'month', 'account_id'],
  ] as const) {
    let totals = db.schema
      .createTable(table)
      .addColumn(period, 'text', (c) => c.notNull())
      .addColumn(keyColumn, 'bigint', (c) => c.notNull())
      .addColumn('orders', 'bigint', (c) => c.notNull());
    for (const column of MONEY) totals = totals.addColumn(column, 'bigint', (c) => c.notNull());
    await totals.addPrimaryKeyConstraint(`${table}_pk`, [period, keyColumn]).execute();
  }
  await db.schema
    .createTable('order_status_counts')
    .addColumn('status', 'text', (c) => c.primaryKey())
    .addColumn('orders', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ledger_hour_money')
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_units', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_hour_money_pk', ['hour', 'kind'])
    .execute();
}

const HOUR = sql.lit(3_600_000);
const DELTA_COLUMNS = sql.raw(
  'created_hour, service_id, account_id, status, orders, charge_units, refunded_units, cost_units',
);
const SUMMARY_CHANGED_TEXT = `old.status is distinct from new.status
  or old.charge_units is distinct from new.charge_units
  or old.refunded_units is distinct from new.refunded_units
  or old.cost_units is distinct from new.cost_units
  or old.service_id is distinct from new.service_id
  or old.account_id is distinct from new.account_id
  or old.created_at is distinct from new.created_at`;
const SUMMARY_CHANGED = sql.raw(SUMMARY_CHANGED_TEXT);

/** The delta row values of an order as `row` (`old` or `new`) holds it, `sign` 1 or -1. */
function orderDelta(row: 'old' | 'new', sign: 1 | -1) {
  const r = sql.raw(row);
  const s = sql.lit(sign);
  return sql`(${r}.created_at / ${HOUR}, ${r}.service_id, ${r}.account_id, ${r}.status, ${s},
    ${s} * ${r}.charge_units, ${s} * ${r}.refunded_units, ${s} * coalesce(${r}.cost_units, 0))`;
}

const LEDGER_DELTA = sql`insert into ledger_money_deltas (hour, kind, amount_units)
  values (new.created_at / ${HOUR}, new.kind, new.amount_units)`;

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const insert = (...rows: ReturnType<typeof orderDelta>[]) =>
    sql`insert into order_summary_deltas (${DELTA_COLUMNS}) values ${sql.join(rows)};`;
  // SQLite spells "is distinct from" as "is not".
  const changed = sql.raw(SUMMARY_CHANGED_TEXT.replaceAll('is distinct from', 'is not'));
  await sql`create trigger orders_summary_insert after insert on orders
    begin ${insert(orderDelta('new', 1))} end`.execute(db);
  await sql`create trigger orders_summary_update after update on orders when ${changed}
    begin ${insert(orderDelta('old', -1), orderDelta('new', 1))} end`.execute(db);
  await sql`create trigger orders_summary_delete after delete on orders
    begin ${insert(orderDelta('old', -1))} end`.execute(db);
  await sql`create trigger ledger_money_insert after insert on ledger_entries
    when new.kind in ('charge', 'refund') begin ${LEDGER_DELTA}; end`.execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const insert = (...rows: ReturnType<typeof orderDelta>[]) =>
    sql`insert into order_summary_deltas (${DELTA_COLUMNS}) values ${sql.join(rows)}`;
  await sql`create function inspiria_order_summary_delta() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        ${insert(orderDelta('new', 1))};
      elsif tg_op = 'UPDATE' then
        ${insert(orderDelta('old', -1), orderDelta('new', 1))};
      else
        ${insert(orderDelta('old', -1))};
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger orders_summary_insert after insert or delete on orders
    for each row execute function inspiria_order_summary_delta()`.execute(db);
  await sql`create trigger orders_summary_update after update on orders
    for each row when (${SUMMARY_CHANGED}) execute function inspiria_order_summary_delta()`.execute(db);
  await sql`create function inspiria_ledger_money_delta() returns trigger language plpgsql as $$
    begin
      ${LEDGER_DELTA};
      return null;
    end $$`.execute(db);
  await sql`create trigger ledger_money_insert after insert on ledger_entries
    for each row when (new.kind in ('charge', 'refund')) execute function inspiria_ledger_money_delta()`.execute(
    db,
  );
}

/** What was stored before the triggers, as deltas grouped as finely as the summaries need. */
export async function backfillBusinessSummaries(db: Kysely<unknown> | Executor): Promise<void> {
  await sql`insert into order_summary_deltas (${DELTA_COLUMNS})
    select created_at / ${HOUR}, service_id, account_id, status, count(*),
      sum(charge_units), sum(refunded_units), coalesce(sum(cost_units), 0)
    from orders group by created_at / ${HOUR}, service_id, account_id, status`.execute(db);
  await sql`insert into ledger_money_deltas (hour, kind, amount_units)
    select created_at / ${HOUR}, kind, sum(amount_units) from ledger_entries
    where kind in ('charge', 'refund') group by created_at / ${HOUR}, kind`.execute(db);
}
