import {
  addLedgerHourMoney,
  addOrderDayTotals,
  addOrderStatusCounts,
  type DayTotals,
  hasPendingSummaryDeltas,
  type LedgerMoneyDelta,
  type OrderSummaryDelta,
  takeLedgerMoneyDeltas,
  takeOrderSummaryDeltas,
} from '../storage/business-summaries-repository.js';
import type { AppContext } from './context.js';
import { romeDayOf } from './report-period.js';

/** One batch is one short transaction, even on a slow disk. */
export const SUMMARY_BATCH_ROWS = 5_000;
const HOUR_MS = 3_600_000;

type Keyed = DayTotals & { day: string; key: number };

function addTo(into: Map<string, Keyed>, day: string, key: number, delta: OrderSummaryDelta): void {
  const id = `${day}|${key}`;
  const totals = into.get(id) ?? { day, key, orders: 0, chargeUnits: 0, refundedUnits: 0, costUnits: 0 };
  totals.orders += delta.orders;
  totals.chargeUnits += delta.chargeUnits;
  totals.refundedUnits += delta.refundedUnits;
  totals.costUnits += delta.costUnits;
  into.set(id, totals);
}

const byDayAndKey = (a: Keyed, b: Keyed) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.key - b.key);

/** Folds order deltas into per-day, per-service and per-account totals and status counts. */
export function foldOrderDeltas(deltas: OrderSummaryDelta[]) {
  const dayOfHour = new Map<number, string>();
  const services = new Map<string, Keyed>();
  const accounts = new Map<string, Keyed>();
  const accountMonths = new Map<string, Keyed>();
  const statuses = new Map<string, number>();
  for (const delta of deltas) {
    let day = dayOfHour.get(delta.createdHour);
    if (day === undefined) {
      // Rome's offset is a whole number of hours, so an hour lies within one Rome day.
      day = romeDayOf(delta.createdHour * HOUR_MS);
      dayOfHour.set(delta.createdHour, day);
    }
    addTo(services, day, delta.serviceId, delta);
    addTo(accounts, day, delta.accountId, delta);
    addTo(accountMonths, day.slice(0, 7), delta.accountId, delta);
    statuses.set(delta.status, (statuses.get(delta.status) ?? 0) + delta.orders);
  }
  return {
    services: [...services.values()].sort(byDayAndKey),
    accounts: [...accounts.values()].sort(byDayAndKey),
    /** `day` holds the month, `YYYY-MM`. */
    accountMonths: [...accountMonths.values()].sort(byDayAndKey),
    statuses: [...statuses]
      .map(([status, orders]) => ({ status, orders }))
      .sort((a, b) => (a.status < b.status ? -1 : 1)),
  };
}

export function foldLedgerDeltas(deltas: LedgerMoneyDelta[]): LedgerMoneyDelta[] {
  const hours = new Map<string, LedgerMoneyDelta>();
  for (const delta of deltas) {
    const id = `${delta.hour}|${delta.kind}`;
    const total = hours.get(id) ?? { hour: delta.hour, kind: delta.kind, amountUnits: 0 };
    total.amountUnits += delta.amountUnits;
    hours.set(id, total);
  }
  return [...hours.values()].sort((a, b) => a.hour - b.hour || (a.kind < b.kind ? -1 : 1));
}

/**
 * One batch of summary deltas (migration 017) folded into the totals, in one transaction, so
 * the totals plus the deltas still waiting always equal a recount. Run by the worker each round
 * and by the readers before they read; returns whether a whole batch was taken (more may wait).
 */
export async function compactBusinessSummaries(
  ctx: AppContext,
  options: { batchRows?: number } = {},
): Promise<{ folded: number; hasMore: boolean }> {
  const limit = options.batchRows ?? SUMMARY_BATCH_ROWS;
  if (!(await hasPendingSummaryDeltas(ctx.db))) return { folded: 0, hasMore: false };
  return ctx.db.transaction().execute(async (trx) => {
    const orderDeltas = await takeOrderSummaryDeltas(trx, limit);
    const ledgerDeltas = await takeLedgerMoneyDeltas(trx, limit);
    const { services, accounts, accountMonths, statuses } = foldOrderDeltas(orderDeltas);
    await addOrderDayTotals(trx, 'service', services);
    await addOrderDayTotals(trx, 'account', accounts);
    await addOrderDayTotals(trx, 'account-month', accountMonths);
    await addOrderStatusCounts(trx, statuses);
    await addLedgerHourMoney(trx, foldLedgerDeltas(ledgerDeltas));
    return {
      folded: orderDeltas.length + ledgerDeltas.length,
      hasMore: orderDeltas.length >= limit || ledgerDeltas.length >= limit,
    };
  });
}

/** Everything waiting folded, batch after batch: what a reader calls before it reads the totals. */
export async function compactAllBusinessSummaries(ctx: AppContext): Promise<number> {
  let folded = 0;
  for (;;) {
    const outcome = await compactBusinessSummaries(ctx);
    folded += outcome.folded;
    if (!outcome.hasMore) return folded;
  }
}
