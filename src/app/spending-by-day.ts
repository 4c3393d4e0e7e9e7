import { listSpendingEntries } from '../storage/ledger-repository.js';
import type { AppContext } from './context.js';

export interface DaySpending {
  /** The calendar day in Rome, `YYYY-MM-DD`. */
  day: string;
  /** Noon of that day (epoch ms), for formatting the label. */
  noonMs: number;
  /** Charges minus refunds booked that day. */
  spendUnits: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// en-CA formats as YYYY-MM-DD; customers think in Rome's days, whatever the server's zone.
const dayKey = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The last `days` calendar days ending today, oldest first. Steps from noon, so DST never skips a day. */
export function lastDays(nowMs: number, days: number): { day: string; noonMs: number }[] {
  const today = dayKey.format(nowMs);
  const noonToday = Date.parse(`${today}T12:00:00Z`);
  const result: { day: string; noonMs: number }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const noonMs = noonToday - i * DAY_MS;
    result.push({ day: new Date(noonMs).toISOString().slice(0, 10), noonMs });
  }
  return result;
}

/** Net spending per day over the last `days` days (30 on the dashboard). */
export async function spendingByDay(
  ctx: AppContext,
  options: { accountId: number; days?: number },
): Promise<DaySpending[]> {
  const nowMs = ctx.clock.now();
  const days = lastDays(nowMs, options.days ?? 30);
  // A day and a half of margin covers the zone offset; entries outside the days are dropped.
  const fromMs = (days[0]?.noonMs ?? nowMs) - 1.5 * DAY_MS;
  const entries = await listSpendingEntries(ctx.db, options.accountId, { fromMs, toMs: nowMs + 1 });
  const totals = new Map(days.map(({ day }) => [day, 0]));
  for (const entry of entries) {
    const key = dayKey.format(Number(entry.created_at));
    const total = totals.get(key);
    if (total !== undefined) totals.set(key, total - Number(entry.amount_units));
  }
  return days.map(({ day, noonMs }) => ({ day, noonMs, spendUnits: totals.get(day) ?? 0 }));
}
