import { listAccountEmails } from '../storage/accounts-repository.js';
import {
  type DayTotals,
  dayTotals,
  keyTotals,
  monthAccountTotals,
} from '../storage/business-summaries-repository.js';
import { listServiceLabels } from '../storage/services-repository.js';
import { compactAllBusinessSummaries } from './compact-business-summaries.js';
import type { AppContext } from './context.js';
import { type ReportPeriod, reportPeriod } from './report-period.js';

type OrderTotalsRow = DayTotals & { key: number };

/** One line of a report table: the orders placed in the period that belong to it. */
export interface ReportLine {
  key: string;
  label: string;
  orders: number;
  chargeUnits: number;
  refundedUnits: number;
  /** Charged minus refunded: what the customers paid in the end. */
  netUnits: number;
  costUnits: number;
  /** Net minus cost. */
  marginUnits: number;
}

export interface BusinessReport {
  period: ReportPeriod;
  totals: ReportLine;
  days: (ReportLine & { noonMs: number })[];
  services: ReportLine[];
  providers: ReportLine[];
  customers: ReportLine[];
  /** Services whose margin in the period is below zero, worst first. */
  losingServices: ReportLine[];
}

/** The operator's own queue and the simulator are "providers" too, so every order lands somewhere. */
export const OWN_PROVIDER = '';

type Sums = Omit<ReportLine, 'key' | 'label' | 'netUnits' | 'marginUnits'>;

function line(key: string, label: string, sums: Sums): ReportLine {
  const { orders, chargeUnits, refundedUnits, costUnits } = sums;
  const netUnits = chargeUnits - refundedUnits;
  return {
    key,
    label,
    orders,
    chargeUnits,
    refundedUnits,
    netUnits,
    costUnits,
    marginUnits: netUnits - costUnits,
  };
}

function add(into: Map<string, Sums>, key: string, row: Sums): void {
  const sums = into.get(key) ?? { orders: 0, chargeUnits: 0, refundedUnits: 0, costUnits: 0 };
  sums.orders += row.orders;
  sums.chargeUnits += row.chargeUnits;
  sums.refundedUnits += row.refundedUnits;
  sums.costUnits += row.costUnits;
  into.set(key, sums);
}

const byNetDescending = (a: ReportLine, b: ReportLine) =>
  b.netUnits - a.netUnits || a.key.localeCompare(b.key);

async function serviceAndProviderLines(ctx: AppContext, rows: OrderTotalsRow[]) {
  const labels = new Map(
    (
      await listServiceLabels(
        ctx.db,
        rows.map((r) => r.key),
      )
    ).map((s) => [s.id, s]),
  );
  const providers = new Map<string, Sums>();
  const services = rows.map((row) => {
    const service = labels.get(row.key);
    add(providers, service?.upstream_provider ?? OWN_PROVIDER, row);
    return line(String(row.key), service?.name ?? `#${row.key}`, row);
  });
  const providerLines = [...providers].map(([name, sums]) => line(name, name, sums));
  return { services: services.sort(byNetDescending), providers: providerLines.sort(byNetDescending) };
}

async function customerLines(ctx: AppContext, rows: OrderTotalsRow[]): Promise<ReportLine[]> {
  const emails = new Map(
    (
      await listAccountEmails(
        ctx.db,
        rows.map((r) => r.key),
      )
    ).map((a) => [a.id, a.email]),
  );
  return rows
    .map((row) => line(String(row.key), emails.get(row.key) ?? `#${row.key}`, row))
    .sort(byNetDescending);
}

/**
 * The period's whole calendar months (`YYYY-MM`) and the runs of days left around them: the
 * per-account totals are kept per month too, so a month's report reads a row per customer.
 */
export function splitIntoMonths(days: string[]): {
  months: string[];
  dayRanges: { fromDay: string; toDay: string }[];
} {
  const byMonth = new Map<string, string[]>();
  for (const day of days) byMonth.set(day.slice(0, 7), [...(byMonth.get(day.slice(0, 7)) ?? []), day]);
  const months: string[] = [];
  const dayRanges: { fromDay: string; toDay: string }[] = [];
  for (const [month, monthDays] of byMonth) {
    const [year = 0, monthNumber = 0] = month.split('-').map(Number);
    const daysInMonth = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
    if (monthDays.length === daysInMonth) months.push(month);
    else dayRanges.push({ fromDay: monthDays[0] ?? '', toDay: monthDays.at(-1) ?? '' });
  }
  return { months, dayRanges };
}

async function accountTotals(ctx: AppContext, days: string[]): Promise<OrderTotalsRow[]> {
  const { months, dayRanges } = splitIntoMonths(days);
  const parts = await Promise.all([
    monthAccountTotals(ctx.db, months),
    ...dayRanges.map((range) => keyTotals(ctx.db, 'account', range)),
  ]);
  const byAccount = new Map<string, Sums>();
  for (const row of parts.flat()) add(byAccount, String(row.key), row);
  return [...byAccount]
    .map(([key, sums]) => ({ key: Number(key), ...sums }))
    .filter((row) => row.orders !== 0);
}

/**
 * Revenue, refunds, cost and margin of the orders placed in a period of Rome days, per day,
 * service, provider and customer. An order counts on the day it was placed, with its refunds
 * and cost as they stand now, so every table adds up to the ledger's charges and refunds of
 * those orders.
 */
export async function getBusinessReport(
  ctx: AppContext,
  options: { fromDay?: string; toDay?: string },
): Promise<BusinessReport> {
  const period = reportPeriod(ctx.clock.now(), options.fromDay, options.toDay);
  // The maintained summaries (migration 017), after folding what still waits in them.
  await compactAllBusinessSummaries(ctx);
  const range = { fromDay: period.fromDay, toDay: period.toDay };
  const [dayRows, serviceRows, accountRows] = await Promise.all([
    dayTotals(ctx.db, range),
    keyTotals(ctx.db, 'service', range),
    accountTotals(
      ctx,
      period.days.map((d) => d.day),
    ),
  ]);
  const dayTotalsByDay = new Map<string, Sums>();
  const all = new Map<string, Sums>();
  for (const day of dayRows) {
    add(dayTotalsByDay, day.key, day);
    add(all, 'total', day);
  }
  const days = period.days.map(({ day, noonMs }) => ({
    ...line(
      day,
      day,
      dayTotalsByDay.get(day) ?? { orders: 0, chargeUnits: 0, refundedUnits: 0, costUnits: 0 },
    ),
    noonMs,
  }));
  const { services, providers } = await serviceAndProviderLines(ctx, serviceRows);
  const totals = line(
    'total',
    'total',
    all.get('total') ?? { orders: 0, chargeUnits: 0, refundedUnits: 0, costUnits: 0 },
  );
  return {
    period,
    totals,
    days,
    services,
    providers,
    customers: await customerLines(ctx, accountRows),
    losingServices: services.filter((s) => s.marginUnits < 0).sort((a, b) => a.marginUnits - b.marginUnits),
  };
}
