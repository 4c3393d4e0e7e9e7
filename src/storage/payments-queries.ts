import type { PaymentMethod, PaymentStatus } from '../domain/payments.js';
import { containsText, type PageWindow } from './admin-queries.js';
import type { Executor, PaymentRow } from './schema.js';

/** The operator's reads across every customer's payments: one place for their SQL. */

export interface PaymentFilter {
  status?: PaymentStatus;
  method?: PaymentMethod;
  /** A reference (exact or in part) or part of the customer's email. */
  search?: string;
  fromMs?: number;
  toMs?: number;
}

export type AdminPaymentRow = PaymentRow & { email: string };

function filtered(db: Executor, filter: PaymentFilter) {
  let query = db.selectFrom('payments').innerJoin('accounts', 'accounts.id', 'payments.account_id');
  if (filter.status) query = query.where('payments.status', '=', filter.status);
  if (filter.method) query = query.where('payments.method', '=', filter.method);
  if (filter.fromMs !== undefined) query = query.where('payments.created_at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('payments.created_at', '<', filter.toMs);
  const search = filter.search?.trim();
  if (search) {
    query = query.where((eb) =>
      eb.or([containsText('payments.reference', search), containsText('accounts.email', search)]),
    );
  }
  return query;
}

export async function searchPayments(
  db: Executor,
  filter: PaymentFilter,
  page: PageWindow,
): Promise<{ rows: AdminPaymentRow[]; total: number }> {
  const query = filtered(db, filter);
  const count = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('payments')
    .select('accounts.email')
    .orderBy('payments.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(count.n) };
}

/** Every payment in the filter, oldest first: the accountant's export. */
export function allPayments(db: Executor, filter: PaymentFilter): Promise<AdminPaymentRow[]> {
  return filtered(db, filter).selectAll('payments').select('accounts.email').orderBy('payments.id').execute();
}

/** Money that arrived, by the time it was credited: what the per-day totals add up. */
export function creditedSince(db: Executor, fromMs: number) {
  return db
    .selectFrom('payments')
    .select(['method', 'credited_units', 'reversed_units', 'succeeded_at'])
    .where('succeeded_at', '>=', fromMs)
    .execute();
}
