import type { Executor, LedgerEntryRow } from './schema.js';

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
