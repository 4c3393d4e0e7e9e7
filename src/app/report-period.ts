import { DomainError } from '../domain/errors.js';

const DAY_MS = 86_400_000;
const romeDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Rome calendar day (`YYYY-MM-DD`) an instant falls on. */
export function romeDayOf(epochMs: number): string {
  return romeDay.format(epochMs);
}

/** The first instant of a Rome day: midnight there is 22:00 or 23:00 UTC the day before. */
export function romeMidnightMs(day: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  for (const offsetHours of [1, 2, 0, 3]) {
    const candidate = utcMidnight - offsetHours * 3_600_000;
    if (romeDayOf(candidate) === day && romeDayOf(candidate - 1) !== day) return candidate;
  }
  throw new Error(`no midnight found for ${day}`);
}

export interface ReportPeriod {
  fromDay: string;
  toDay: string;
  fromMs: number;
  /** Exclusive: midnight after the last day. */
  toMs: number;
  days: { day: string; noonMs: number }[];
}

const MAX_DAYS = 400;

/** A period of whole Rome days, both ends included; by default this month up to today. */
export function reportPeriod(nowMs: number, fromText?: string, toText?: string): ReportPeriod {
  const today = romeDayOf(nowMs);
  const fromDay = fromText?.trim() || `${today.slice(0, 8)}01`;
  const toDay = toText?.trim() || today;
  // Date.parse takes 2026-02-30 as 2 March: only a day that reads back the same is a day.
  const isDay = (text: string) => {
    const noonMs = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T12:00:00Z`) : Number.NaN;
    return !Number.isNaN(noonMs) && new Date(noonMs).toISOString().slice(0, 10) === text;
  };
  if (!isDay(fromDay) || !isDay(toDay) || fromDay > toDay) throw new DomainError('report_period_invalid');
  const days: { day: string; noonMs: number }[] = [];
  for (let noonMs = Date.parse(`${fromDay}T12:00:00Z`); ; noonMs += DAY_MS) {
    const day = new Date(noonMs).toISOString().slice(0, 10);
    if (day > toDay) break;
    days.push({ day, noonMs });
    if (days.length > MAX_DAYS) throw new DomainError('report_period_invalid');
  }
  const nextDay = new Date(Date.parse(`${toDay}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { fromDay, toDay, fromMs: romeMidnightMs(fromDay), toMs: romeMidnightMs(nextDay), days };
}
