import type { Insertable, Updateable } from 'kysely';
import type { PaymentMethod, PaymentStatus } from '../domain/payments.js';
import type { Executor, PaymentRow, PaymentsTable } from './schema.js';
import { containsText, type PageWindow } from './text-search.js';

export async function insertPayment(db: Executor, payment: Insertable<PaymentsTable>): Promise<PaymentRow> {
  return db.insertInto('payments').values(payment).returningAll().executeTakeFirstOrThrow();
}

export function findPaymentById(db: Executor, id: number): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPaymentByReference(db: Executor, reference: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('reference', '=', reference).executeTakeFirst();
}

export function findPaymentBySession(db: Executor, sessionId: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('stripe_session_id', '=', sessionId).executeTakeFirst();
}

/** The card payment a charge or a dispute belongs to: by its payment intent, else by the charge. */
export function findPaymentByIntentOrCharge(
  db: Executor,
  ids: { paymentIntentId: string | null; chargeId: string | null },
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('method', '=', 'card')
    .where((eb) =>
      eb.or([
        ...(ids.paymentIntentId ? [eb('stripe_payment_intent_id', '=', ids.paymentIntentId)] : []),
        ...(ids.chargeId ? [eb('stripe_charge_id', '=', ids.chargeId)] : []),
        eb.lit(false),
      ]),
    )
    .orderBy('id')
    .executeTakeFirst();
}

/**
 * Reads a payment for update: a no-op UPDATE takes the row lock on PostgreSQL (SQLite's
 * BEGIN IMMEDIATE already serialises writers), so two webhooks for one payment apply in turn.
 */
export function lockPayment(db: Executor, id: number): Promise<PaymentRow | undefined> {
  return db
    .updateTable('payments')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Updates a payment only while it is in one of `fromStatuses`; false when it no longer was. */
export async function updatePaymentIf(
  db: Executor,
  id: number,
  fromStatuses: readonly PaymentStatus[],
  changes: Updateable<PaymentsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('payments')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', [...fromStatuses])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updatePayment(
  db: Executor,
  id: number,
  changes: Updateable<PaymentsTable>,
): Promise<void> {
  await db.updateTable('payments').set(changes).where('id', '=', id).execute();
}

export async function countOpenTransfers(db: Executor, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .where('method', '=', 'bank_transfer')
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next receipt number of `year`, in the caller's transaction: a rollback leaves no gap. */
export async function nextReceiptSequence(db: Executor, year: number): Promise<number> {
  const row = await db
    .insertInto('receipt_counters')
    .values({ year, last_number: 1 })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet((eb) => ({ last_number: eb('receipt_counters.last_number', '+', 1) })),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}

export function listAccountPayments(
  db: Executor,
  accountId: number,
  page: { limit: number; offset: number },
) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countAccountPayments(db: Executor, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Claims a Stripe event before applying it; false when it was already applied. On PostgreSQL a
 * concurrent delivery of the same event waits here for the first one's commit, then fails on
 * the key (the caller answers it as a duplicate).
 */
export async function claimStripeEvent(
  db: Executor,
  event: { eventId: string; type: string; receivedAt: number },
): Promise<boolean> {
  const existing = await db
    .selectFrom('stripe_events')
    .select('event_id')
    .where('event_id', '=', event.eventId)
    .executeTakeFirst();
  if (existing) return false;
  await db
    .insertInto('stripe_events')
    .values({
      event_id: event.eventId,
      type: event.type,
      outcome: 'processing',
      payment_id: null,
      received_at: event.receivedAt,
    })
    .execute();
  return true;
}

export async function settleStripeEvent(
  db: Executor,
  eventId: string,
  result: { outcome: string; paymentId: number | null },
): Promise<void> {
  await db
    .updateTable('stripe_events')
    .set({ outcome: result.outcome, payment_id: result.paymentId })
    .where('event_id', '=', eventId)
    .execute();
}

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
