import { sql } from 'kysely';
import type { Executor } from './schema.js';

/** Sums over the orders placed in a period, per group; money in units, counts as numbers. */
export interface OrderTotalsRow {
  key: number;
  orders: number;
  chargeUnits: number;
  refundedUnits: number;
  costUnits: number;
}

const HOUR_MS = 3_600_000;

type GroupBy = 'hour' | 'service' | 'account';

/**
 * One pass over the period's orders through the `orders_report` index (which holds every
 * column read here, so neither database visits the rows). Hours rather than days: Rome's
 * offset is a whole number of hours, so the caller folds hours into Rome's days exactly, and
 * no SQL date function (which the two databases spell differently) is needed.
 */
export async function orderTotals(
  db: Executor,
  options: { fromMs: number; toMs: number; groupBy: GroupBy },
): Promise<OrderTotalsRow[]> {
  const key =
    options.groupBy === 'hour'
      ? sql<number>`created_at / ${sql.lit(HOUR_MS)}`
      : options.groupBy === 'service'
        ? sql<number>`service_id`
        : sql<number>`account_id`;
  const rows = await db
    .selectFrom('orders')
    .select([
      key.as('key'),
      sql<number>`count(*)`.as('orders'),
      sql<number>`sum(charge_units)`.as('chargeUnits'),
      sql<number>`sum(refunded_units)`.as('refundedUnits'),
      sql<number>`coalesce(sum(cost_units), 0)`.as('costUnits'),
    ])
    .where('created_at', '>=', options.fromMs)
    .where('created_at', '<', options.toMs)
    .groupBy(key)
    .execute();
  return rows.map((row) => ({
    key: Number(row.key),
    orders: Number(row.orders),
    chargeUnits: Number(row.chargeUnits),
    refundedUnits: Number(row.refundedUnits),
    costUnits: Number(row.costUnits),
  }));
}

export const REPORT_HOUR_MS = HOUR_MS;

// PostgreSQL takes at most 65,535 parameters a statement: ids are looked up in slices.
const ID_SLICE = 5_000;

async function bySlices<T>(ids: number[], read: (slice: number[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += ID_SLICE) rows.push(...(await read(ids.slice(i, i + ID_SLICE))));
  return rows;
}

export function listServiceLabels(db: Executor, serviceIds: number[]) {
  return bySlices(serviceIds, (slice) =>
    db
      .selectFrom('services')
      .select(['id', 'name', 'backend', 'upstream_provider'])
      .where('id', 'in', slice)
      .execute(),
  );
}

export function listAccountEmails(db: Executor, accountIds: number[]) {
  return bySlices(accountIds, (slice) =>
    db.selectFrom('accounts').select(['id', 'email']).where('id', 'in', slice).execute(),
  );
}
