import { sql } from 'kysely';
import type { Executor } from './schema.js';

/**
 * The maintained summaries of migration 017: triggers write deltas, compaction takes them
 * (deleting exactly the rows it returns, so a delta is folded once even when two compactions
 * race) and adds them to the totals; the admin overview and the business report read the totals.
 */

export interface OrderSummaryDelta {
  createdHour: number;
  serviceId: number;
  accountId: number;
  status: string;
  orders: number;
  chargeUnits: number;
  refundedUnits: number;
  costUnits: number;
}

export interface LedgerMoneyDelta {
  hour: number;
  kind: string;
  amountUnits: number;
}

export interface DayTotals {
  orders: number;
  chargeUnits: number;
  refundedUnits: number;
  costUnits: number;
}

/** Deletes and returns the oldest `limit` order deltas. */
export async function takeOrderSummaryDeltas(db: Executor, limit: number): Promise<OrderSummaryDelta[]> {
  const rows = await db
    .deleteFrom('order_summary_deltas')
    .where('id', 'in', db.selectFrom('order_summary_deltas').select('id').orderBy('id').limit(limit))
    .returningAll()
    .execute();
  return rows.map((row) => ({
    createdHour: Number(row.created_hour),
    serviceId: Number(row.service_id),
    accountId: Number(row.account_id),
    status: row.status,
    orders: Number(row.orders),
    chargeUnits: Number(row.charge_units),
    refundedUnits: Number(row.refunded_units),
    costUnits: Number(row.cost_units),
  }));
}

/** Deletes and returns the oldest `limit` ledger money deltas. */
export async function takeLedgerMoneyDeltas(db: Executor, limit: number): Promise<LedgerMoneyDelta[]> {
  const rows = await db
    .deleteFrom('ledger_money_deltas')
    .where('id', 'in', db.selectFrom('ledger_money_deltas').select('id').orderBy('id').limit(limit))
    .returningAll()
    .execute();
  return rows.map((row) => ({
    hour: Number(row.hour),
    kind: row.kind,
    amountUnits: Number(row.amount_units),
  }));
}

/** Whether any delta waits: a cheap read, so a reader with nothing to fold never writes. */
export async function hasPendingSummaryDeltas(db: Executor): Promise<boolean> {
  const [orders, ledger] = await Promise.all([
    db.selectFrom('order_summary_deltas').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('ledger_money_deltas').select('id').limit(1).executeTakeFirst(),
  ]);
  return orders !== undefined || ledger !== undefined;
}

// Seven values a row at most: well under PostgreSQL's 65,535 parameters a statement.
const UPSERT_ROWS = 1_000;

async function inSlices<T>(rows: T[], write: (slice: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_ROWS) await write(rows.slice(i, i + UPSERT_ROWS));
}

/**
 * Adds to the per-day totals. Callers pass rows sorted by key, so two compactions lock the
 * same rows in the same order and never deadlock on PostgreSQL.
 */
export async function addOrderDayTotals(
  db: Executor,
  by: 'service' | 'account' | 'account-month',
  rows: (DayTotals & { day: string; key: number })[],
): Promise<void> {
  const table =
    by === 'service'
      ? 'order_day_service_totals'
      : by === 'account'
        ? 'order_day_account_totals'
        : 'order_month_account_totals';
  const keyColumn = by === 'service' ? 'service_id' : 'account_id';
  const periodColumn = by === 'account-month' ? 'month' : 'day';
  const plus = (column: 'orders' | 'charge_units' | 'refunded_units' | 'cost_units') =>
    sql<number>`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`;
  await inSlices(rows, (slice) =>
    db
      .insertInto(table)
      .values(
        slice.map((row) => ({
          [periodColumn]: row.day,
          [keyColumn]: row.key,
          orders: row.orders,
          charge_units: row.chargeUnits,
          refunded_units: row.refundedUnits,
          cost_units: row.costUnits,
        })) as never,
      )
      .onConflict((oc) =>
        oc.columns([periodColumn, keyColumn] as never).doUpdateSet({
          orders: plus('orders'),
          charge_units: plus('charge_units'),
          refunded_units: plus('refunded_units'),
          cost_units: plus('cost_units'),
        } as never),
      )
      .execute(),
  );
}

export async function addOrderStatusCounts(db: Executor, rows: { status: string; orders: number }[]) {
  await inSlices(rows, (slice) =>
    db
      .insertInto('order_status_counts')
      .values(slice)
      .onConflict((oc) =>
        oc.column('status').doUpdateSet({
          orders: sql<number>`${sql.ref('order_status_counts.orders')} + ${sql.ref('excluded.orders')}`,
        }),
      )
      .execute(),
  );
}

export async function addLedgerHourMoney(db: Executor, rows: LedgerMoneyDelta[]) {
  await inSlices(rows, (slice) =>
    db
      .insertInto('ledger_hour_money')
      .values(slice.map((row) => ({ hour: row.hour, kind: row.kind, amount_units: row.amountUnits })))
      .onConflict((oc) =>
        oc.columns(['hour', 'kind']).doUpdateSet({
          amount_units: sql<number>`${sql.ref('ledger_hour_money.amount_units')} + ${sql.ref('excluded.amount_units')}`,
        }),
      )
      .execute(),
  );
}

const SUMS = [
  sql<string | number>`sum(orders)`.as('orders'),
  sql<string | number>`sum(charge_units)`.as('chargeUnits'),
  sql<string | number>`sum(refunded_units)`.as('refundedUnits'),
  sql<string | number>`sum(cost_units)`.as('costUnits'),
];

function totalsOf<K>(row: Record<string, unknown>, key: K): DayTotals & { key: K } {
  return {
    key,
    orders: Number(row.orders ?? 0),
    chargeUnits: Number(row.chargeUnits ?? 0),
    refundedUnits: Number(row.refundedUnits ?? 0),
    costUnits: Number(row.costUnits ?? 0),
  };
}

/** Per Rome day, over the days from `fromDay` to `toDay` (both `YYYY-MM-DD`, included). */
export async function dayTotals(db: Executor, range: { fromDay: string; toDay: string }) {
  const rows = await db
    .selectFrom('order_day_service_totals')
    .select(['day', ...SUMS])
    .where('day', '>=', range.fromDay)
    .where('day', '<=', range.toDay)
    .groupBy('day')
    .execute();
  return rows.map((row) => totalsOf(row, row.day));
}

/** Per service or per account, summed over the days from `fromDay` to `toDay`. */
export async function keyTotals(
  db: Executor,
  by: 'service' | 'account',
  range: { fromDay: string; toDay: string },
) {
  const rows =
    by === 'service'
      ? await db
          .selectFrom('order_day_service_totals')
          .select(['service_id as key', ...SUMS])
          .where('day', '>=', range.fromDay)
          .where('day', '<=', range.toDay)
          .groupBy('service_id')
          .execute()
      : await db
          .selectFrom('order_day_account_totals')
          .select(['account_id as key', ...SUMS])
          .where('day', '>=', range.fromDay)
          .where('day', '<=', range.toDay)
          .groupBy('account_id')
          .execute();
  // A key whose orders all moved away (an order's service changed) sums to nothing: left out.
  return rows.map((row) => totalsOf(row, Number(row.key))).filter((row) => row.orders !== 0);
}

/**
 * Orders per status, exact whether or not the deltas were folded yet: the counts plus the
 * deltas still waiting (a handful while the worker runs). Statuses at zero are left out.
 */
/** Per account, summed over whole months (`YYYY-MM`). */
export async function monthAccountTotals(db: Executor, months: string[]) {
  if (months.length === 0) return [];
  const rows = await db
    .selectFrom('order_month_account_totals')
    .select(['account_id as key', ...SUMS])
    .where('month', 'in', months)
    .groupBy('account_id')
    .execute();
  return rows.map((row) => totalsOf(row, Number(row.key)));
}

export async function readOrderStatusCounts(db: Executor): Promise<Map<string, number>> {
  const result = await sql<{ status: string; n: string | number }>`select status, sum(orders) as n from (
      select status, orders from order_status_counts
      union all
      select status, orders from order_summary_deltas
    ) as counted group by status`.execute(db);
  return new Map(result.rows.filter((row) => Number(row.n) !== 0).map((row) => [row.status, Number(row.n)]));
}

export async function readLedgerHourMoney(db: Executor, fromHour: number) {
  const rows = await db
    .selectFrom('ledger_hour_money')
    .select(['hour', 'kind', 'amount_units'])
    .where('hour', '>=', fromHour)
    .execute();
  return rows.map((row) => ({ hour: Number(row.hour), kind: row.kind, units: Number(row.amount_units) }));
}

/**
 * How many accounts placed an order at or after `sinceMs`: the whole Rome days after the one
 * `sinceMs` falls in come from the totals, the rest of that day (up to `dayEndMs`) from the
 * orders themselves through their time index.
 */
export async function countOrderingAccounts(
  db: Executor,
  options: { sinceMs: number; dayEndMs: number; afterDay: string },
): Promise<number> {
  const result = await sql<{ n: string | number }>`select count(*) as n from (
      select account_id from order_day_account_totals where day > ${options.afterDay} and orders > 0
      union
      select account_id from orders where created_at >= ${options.sinceMs} and created_at < ${options.dayEndMs}
    ) as ordering`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export async function countCustomerAccounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('accounts')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('role', '=', 'user')
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.n)]));
}
