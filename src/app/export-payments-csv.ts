import { formatUnits } from '../domain/money.js';
import { allPayments } from '../storage/payments-repository.js';
import type { AppContext } from './context.js';
import { isPaymentMethod, isPaymentStatus } from './list-payments.js';

const COLUMNS = [
  'id',
  'reference',
  'receipt_number',
  'created_at',
  'succeeded_at',
  'customer_email',
  'method',
  'status',
  'currency',
  'amount',
  'credited',
  'refunded',
  'reversed',
  'stripe_session_id',
  'stripe_payment_intent_id',
  'note',
] as const;

/**
 * RFC 4180 quoting, and a leading `=`, `+`, `-`, `@` neutralised so a spreadsheet never runs
 * a customer's text as a formula (an email is theirs to choose).
 */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The accountant's export: every payment in the period, amounts in EUR with 4 decimals. */
export async function exportPaymentsCsv(
  ctx: AppContext,
  options: { fromMs?: number; toMs?: number; status?: string; method?: string; search?: string },
): Promise<string> {
  const rows = await allPayments(ctx.db, {
    ...(options.fromMs !== undefined ? { fromMs: options.fromMs } : {}),
    ...(options.toMs !== undefined ? { toMs: options.toMs } : {}),
    ...(isPaymentStatus(options.status) ? { status: options.status } : {}),
    ...(isPaymentMethod(options.method) ? { method: options.method } : {}),
    ...(options.search?.trim() ? { search: options.search.trim() } : {}),
  });
  const lines = [COLUMNS.join(',')];
  for (const p of rows) {
    const fields = [
      p.id,
      p.reference,
      p.receipt_number,
      iso(p.created_at),
      iso(p.succeeded_at),
      p.email,
      p.method,
      p.status,
      p.currency,
      formatUnits(Number(p.amount_units)),
      formatUnits(Number(p.credited_units)),
      formatUnits(Number(p.refunded_units)),
      formatUnits(Number(p.reversed_units)),
      p.stripe_session_id,
      p.stripe_payment_intent_id,
      p.note,
    ];
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
