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

export function listOrderLedgerEntries(db: Executor, orderId: number): Promise<LedgerEntryRow[]> {
  return db.selectFrom('ledger_entries').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
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
