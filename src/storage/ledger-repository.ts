import { type BalanceChange, changeBalanceIfCovered } from './accounts-repository.js';
import type { Executor, LedgerEntryRow, LedgerKind } from './schema.js';

export interface LedgerPosting {
  accountId: number;
  kind: LedgerKind;
  /** Signed: a charge or a debit is negative. */
  amountUnits: number;
  orderId?: number | null;
  reason?: string | null;
  actor?: string | null;
  paymentId?: number | null;
  createdAt: number;
}

/**
 * The only way a balance changes: the conditional balance update and its ledger entry, in the
 * caller's transaction (style rule 5). When a debit is not covered nothing is written, and the
 * answer carries the balance it was refused against.
 */
export async function postLedgerEntry(db: Executor, posting: LedgerPosting): Promise<BalanceChange> {
  const change = await changeBalanceIfCovered(db, posting.accountId, posting.amountUnits);
  if (!change.isApplied) return change;
  const balanceAfter = change.balanceAfterUnits;
  await db
    .insertInto('ledger_entries')
    .values({
      account_id: posting.accountId,
      kind: posting.kind,
      amount_units: posting.amountUnits,
      balance_after_units: balanceAfter,
      order_id: posting.orderId ?? null,
      reason: posting.reason ?? null,
      actor: posting.actor ?? null,
      payment_id: posting.paymentId ?? null,
      created_at: posting.createdAt,
    })
    .execute();
  return change;
}

/**
 * contract §11: spend is charge minus refunds of the orders created in [fromMs, toMs), counting
 * only entries booked before toMs, so the figure for a past hour never changes.
 */
export async function spendUnitsBetween(
  db: Executor,
  accountId: number,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .innerJoin('orders', 'orders.id', 'ledger_entries.order_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('ledger_entries.amount_units'), eb.lit(0)).as('total'))
    .where('ledger_entries.account_id', '=', accountId)
    .where('ledger_entries.kind', 'in', ['charge', 'refund'])
    .where('ledger_entries.created_at', '<', toMs)
    .where('orders.created_at', '>=', fromMs)
    .where('orders.created_at', '<', toMs)
    .executeTakeFirstOrThrow();
  return -Number(row.total);
}

export function listPaymentLedgerEntries(db: Executor, paymentId: number): Promise<LedgerEntryRow[]> {
  return db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('id')
    .execute();
}

/**
 * A ledger entry with what its note is made of: the order's status (a refund is booked when
 * the order ends, so its status now is the one it ended in) and the payment it moved.
 */
export type LedgerLine = LedgerEntryRow & {
  order_status: string | null;
  payment_reference: string | null;
  payment_method: string | null;
  payment_status: string | null;
};

/** The ledger lines of one account, order or payment, oldest first unless asked otherwise. */
export function listLedgerLines(
  db: Executor,
  of: { accountId: number } | { orderId: number } | { paymentId: number },
  options: { newestFirst?: boolean; limit?: number; offset?: number } = {},
): Promise<LedgerLine[]> {
  const [column, value] =
    'accountId' in of
      ? (['ledger_entries.account_id', of.accountId] as const)
      : 'orderId' in of
        ? (['ledger_entries.order_id', of.orderId] as const)
        : (['ledger_entries.payment_id', of.paymentId] as const);
  let query = db
    .selectFrom('ledger_entries')
    .leftJoin('orders', 'orders.id', 'ledger_entries.order_id')
    .leftJoin('payments', 'payments.id', 'ledger_entries.payment_id')
    .selectAll('ledger_entries')
    .select([
      'orders.status as order_status',
      'payments.reference as payment_reference',
      'payments.method as payment_method',
      'payments.status as payment_status',
    ])
    .where(column, '=', value)
    .orderBy('ledger_entries.id', options.newestFirst ? 'desc' : 'asc');
  if (options.limit !== undefined) query = query.limit(options.limit).offset(options.offset ?? 0);
  return query.execute();
}

/** One page of an account's ledger, newest first, and the number of entries. */
export async function listLedgerPage(
  db: Executor,
  accountId: number,
  page: { limit: number; offset: number },
): Promise<{ rows: LedgerLine[]; total: number }> {
  const countRow = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  const rows = await listLedgerLines(db, { accountId }, { newestFirst: true, ...page });
  return { rows, total: Number(countRow.n) };
}

/** Charges and refunds booked in [fromMs, toMs): the spending chart sums them per day. */
export function listSpendingEntries(
  db: Executor,
  accountId: number,
  range: { fromMs: number; toMs: number },
): Promise<Pick<LedgerEntryRow, 'amount_units' | 'created_at'>[]> {
  return db
    .selectFrom('ledger_entries')
    .select(['amount_units', 'created_at'])
    .where('account_id', '=', accountId)
    .where('kind', 'in', ['charge', 'refund'])
    .where('created_at', '>=', range.fromMs)
    .where('created_at', '<', range.toMs)
    .execute();
}
