import { ORDER_STATUSES } from '../domain/order-lifecycle.js';
import {
  countCustomerAccounts,
  countOrderingAccounts,
  readLedgerHourMoney,
  readOrderStatusCounts,
} from '../storage/business-summaries-repository.js';
import { compactAllBusinessSummaries } from './compact-business-summaries.js';
import type { AppContext } from './context.js';
import { romeDayOf, romeMidnightMs } from './report-period.js';
import { lastDays } from './spending-by-day.js';

export interface DayMoney {
  /** The calendar day in Rome, `YYYY-MM-DD`. */
  day: string;
  noonMs: number;
  /** What customers were charged that day (positive). */
  revenueUnits: number;
  /** What was refunded to them that day (positive). */
  refundUnits: number;
}

export interface AdminOverview {
  days: DayMoney[];
  revenueUnits: number;
  refundUnits: number;
  ordersByStatus: { status: string; count: number }[];
  customers: { active: number; suspended: number; ordering: number };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Customers by status, and how many placed an order since `sinceMs`. */
async function countCustomers(ctx: AppContext, sinceMs: number): Promise<AdminOverview['customers']> {
  const byStatus = await countCustomerAccounts(ctx.db);
  const sinceDay = romeDayOf(sinceMs);
  const nextDay = new Date(Date.parse(`${sinceDay}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  const ordering = await countOrderingAccounts(ctx.db, {
    sinceMs,
    dayEndMs: romeMidnightMs(nextDay),
    afterDay: sinceDay,
  });
  return { active: byStatus.get('active') ?? 0, suspended: byStatus.get('suspended') ?? 0, ordering };
}

/**
 * The admin's home: money per day over `days` days (Rome's days), orders by status, customers.
 * Read from the maintained summaries (migration 017), after folding what still waits in them.
 */
export async function getAdminOverview(
  ctx: AppContext,
  options: { days?: number } = {},
): Promise<AdminOverview> {
  await compactAllBusinessSummaries(ctx);
  const nowMs = ctx.clock.now();
  const days = lastDays(nowMs, options.days ?? 30);
  // From a day and a half before the first noon: covers the zone offset; extra hours are dropped.
  const fromMs = Math.floor(((days[0]?.noonMs ?? nowMs) - 1.5 * DAY_MS) / HOUR_MS) * HOUR_MS;
  // Independent reads: on PostgreSQL they share the pool's connections at once.
  const [hours, byStatus, customers] = await Promise.all([
    readLedgerHourMoney(ctx.db, fromMs / HOUR_MS),
    readOrderStatusCounts(ctx.db),
    countCustomers(ctx, nowMs - 30 * DAY_MS),
  ]);
  const totals = new Map(days.map(({ day }) => [day, { revenue: 0, refund: 0 }]));
  for (const bucket of hours) {
    const total = totals.get(romeDayOf(bucket.hour * HOUR_MS));
    if (!total) continue;
    // A charge is booked negative, a refund positive: both are shown as positive amounts.
    if (bucket.kind === 'charge') total.revenue -= bucket.units;
    else total.refund += bucket.units;
  }
  const perDay = days.map(({ day, noonMs }) => ({
    day,
    noonMs,
    revenueUnits: totals.get(day)?.revenue ?? 0,
    refundUnits: totals.get(day)?.refund ?? 0,
  }));
  return {
    days: perDay,
    revenueUnits: perDay.reduce((sum, d) => sum + d.revenueUnits, 0),
    refundUnits: perDay.reduce((sum, d) => sum + d.refundUnits, 0),
    ordersByStatus: ORDER_STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
    customers,
  };
}
