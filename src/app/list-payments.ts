import {
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  type PaymentMethod,
  type PaymentStatus,
} from '../domain/payments.js';
import {
  type AdminPaymentRow,
  countAccountPayments,
  creditedSince,
  listAccountPayments,
  searchPayments,
} from '../storage/payments-repository.js';
import type { PaymentRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { fetchPage, type Paged } from './pagination.js';
import { lastDays } from './spending-by-day.js';

export type { PaymentRow } from '../storage/schema.js';

const romeDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const DAY_MS = 86_400_000;

export const isPaymentStatus = (text: unknown): text is PaymentStatus =>
  (PAYMENT_STATUSES as readonly unknown[]).includes(text);
export const isPaymentMethod = (text: unknown): text is PaymentMethod =>
  (PAYMENT_METHODS as readonly unknown[]).includes(text);

/** The customer's own payments, newest first. */
export function listCustomerPayments(
  ctx: AppContext,
  options: { accountId: number; page?: number },
): Promise<Paged<PaymentRow>> {
  return fetchPage(options.page, async (window) => ({
    rows: await listAccountPayments(ctx.db, options.accountId, window),
    total: await countAccountPayments(ctx.db, options.accountId),
  }));
}

export interface PaymentDay {
  /** The calendar day in Rome, `YYYY-MM-DD`. */
  day: string;
  /** Credited that day by card, by bank transfer and by hand. */
  cardUnits: number;
  transferUnits: number;
  manualUnits: number;
}

/** The operator's payments: filtered and searched, with the money credited per Rome day. */
export async function listPayments(
  ctx: AppContext,
  options: { status?: string; method?: string; search?: string; page?: number; days?: number },
): Promise<Paged<AdminPaymentRow> & { days: PaymentDay[] }> {
  const filter = {
    ...(isPaymentStatus(options.status) ? { status: options.status } : {}),
    ...(isPaymentMethod(options.method) ? { method: options.method } : {}),
    ...(options.search?.trim() ? { search: options.search.trim() } : {}),
  };
  const page = await fetchPage(options.page, (window) => searchPayments(ctx.db, filter, window));
  return { ...page, days: await creditedPerDay(ctx, options.days ?? 14) };
}

async function creditedPerDay(ctx: AppContext, dayCount: number): Promise<PaymentDay[]> {
  const days = lastDays(ctx.clock.now(), dayCount);
  const totals = new Map(
    days.map(({ day }) => [day, { day, cardUnits: 0, transferUnits: 0, manualUnits: 0 }]),
  );
  const fromMs = (days[0]?.noonMs ?? ctx.clock.now()) - 1.5 * DAY_MS;
  for (const row of await creditedSince(ctx.db, fromMs)) {
    const total = totals.get(romeDay.format(Number(row.succeeded_at)));
    if (!total) continue;
    const units = Number(row.credited_units);
    if (row.method === 'card') total.cardUnits += units;
    else if (row.method === 'bank_transfer') total.transferUnits += units;
    else total.manualUnits += units;
  }
  return [...totals.values()];
}
