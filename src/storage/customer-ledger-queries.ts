import type { Executor, LedgerEntryRow } from './schema.js';

/** One page of an account's ledger, newest first, and the number of entries. */
export async function listLedgerPage(
  db: Executor,
  accountId: number,
  page: { limit: number; offset: number },
): Promise<{ rows: LedgerEntryRow[]; total: number }> {
  const countRow = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
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
