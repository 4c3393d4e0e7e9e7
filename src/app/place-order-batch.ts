import type { Insertable } from 'kysely';
import { type DebitDecision, decideBatchDebits, firstLowBalanceCrossing } from '../domain/batch-debits.js';
import { DomainError } from '../domain/errors.js';
import { takeLowBalanceCrossing } from '../storage/accounts-repository.js';
import type { AloneWork, Bulk, BulkTarget, BulkWork, Outcome } from '../storage/group-commit.js';
import {
  debitIfCoversAll,
  debitLockedBalance,
  insertChargedOrders,
  insertCoveredOrdersAlone,
  lockAccountForDebit,
} from '../storage/order-batch-repository.js';
import type { Executor, OrdersTable } from '../storage/schema.js';
import { enqueueMail } from './enqueue-mail.js';

/** An order ready to store: validated and priced; its charge is `charge_units`. */
export type NewOrder = Insertable<OrdersTable>;

interface Accepted {
  index: number;
  order: NewOrder;
  balanceAfterUnits: number;
}

type Placed = Outcome<{ orderId: number }>;

const refusal = (order: NewOrder, decision: DebitDecision & { isApplied: false }): Placed => ({
  ok: false,
  // The balance this transaction refused against, not a later read (issue 8).
  error: new DomainError('insufficient_balance', {
    requiredUnits: order.charge_units,
    availableUnits: decision.balanceUnits,
  }),
});

/**
 * Debits one account for its orders of the batch (`indexes` into `orders`, in arrival order),
 * each decided against the balance the ones before it left, under the row's lock: the sum in
 * one conditional UPDATE when the balance covers them all, else the row locked and read, the
 * covered ones decided in memory and debited together. Then the low-balance mail, if crossed.
 */
async function debitAccount(
  trx: Executor,
  target: BulkTarget,
  orders: readonly NewOrder[],
  indexes: readonly number[],
  into: { outcomes: Placed[]; accepted: Accepted[] },
): Promise<void> {
  const mine = indexes.map((index) => orders[index] as NewOrder);
  const accountId = mine[0]?.account_id as number;
  const charges = mine.map((order) => order.charge_units);
  const totalUnits = charges.reduce((sum, charge) => sum + charge, 0);
  const debitedAll = await debitIfCoversAll(trx, target, accountId, totalUnits);
  const account = debitedAll
    ? { ...debitedAll, balance_units: debitedAll.balance_units + totalUnits }
    : await lockAccountForDebit(trx, accountId);
  if (!account) throw new Error('batch order for an unknown account');
  const debits = decideBatchDebits(account.balance_units, charges);
  if (!debitedAll && debits.debitedUnits > 0) {
    const balanceAfterUnits = await debitLockedBalance(trx, accountId, debits.debitedUnits);
    // Under the lock nothing else moved the balance: a difference means a wrong decision, and
    // the throw sends the batch again through placeOrder's one-by-one path.
    if (balanceAfterUnits !== debits.finalBalanceUnits)
      throw new Error('batch debit does not match its decision');
  }
  debits.decisions.forEach((decision, k) => {
    const index = indexes[k] as number;
    const order = mine[k] as NewOrder;
    if (decision.isApplied)
      into.accepted.push({ index, order, balanceAfterUnits: decision.balanceAfterUnits });
    else into.outcomes[index] = refusal(order, decision);
  });
  const thresholdUnits = account.low_balance_threshold_units;
  const state = { thresholdUnits, isNotified: account.is_low_balance_notified === 1 };
  const crossed = firstLowBalanceCrossing(state, debits.decisions);
  const crossing = crossed === undefined ? undefined : debits.decisions[crossed];
  if (crossing?.isApplied && thresholdUnits !== null && (await takeLowBalanceCrossing(trx, accountId))) {
    const data = { balanceUnits: crossing.balanceAfterUnits, thresholdUnits };
    await enqueueMail(trx, { accountId }, 'low_balance', data, mine[crossed as number]?.created_at ?? 0);
  }
}

/**
 * The orders without idempotency key or drip-feed runs that arrive together (group commit):
 * each account's balance debited once for all its orders in the batch, every debit decided in
 * memory in arrival order under the row's lock, then the orders and their ledger entries in one
 * statement (PostgreSQL) or two (SQLite). The answers, the refusals and what is stored are
 * those of placing them one after another (contract §6: the order and its debit commit
 * together or not at all).
 */
export const placeOrderBatch: BulkWork<NewOrder, { orderId: number }> = async (trx, orders, target) => {
  const into = { outcomes: [] as Placed[], accepted: [] as Accepted[] };
  const byAccount = new Map<number, number[]>();
  orders.forEach((order, index) => {
    const indexes = byAccount.get(order.account_id);
    if (indexes) indexes.push(index);
    else byAccount.set(order.account_id, [index]);
  });
  for (const indexes of byAccount.values()) await debitAccount(trx, target, orders, indexes, into);
  const { outcomes, accepted } = into;
  if (accepted.length === 0) return outcomes;
  const orderIds = await insertChargedOrders(
    trx,
    target,
    accepted.map((a) => a.order),
    accepted.map((a) => a.balanceAfterUnits),
  );
  accepted.forEach((a, k) => {
    outcomes[a.index] = { ok: true, value: { orderId: orderIds[k] as number } };
  });
  return outcomes;
};

/**
 * The usual batch, one account's orders that its balance covers without crossing its
 * low-balance threshold, committed on its own: the same rows as placeOrderBatch would store.
 * On PostgreSQL in one statement (one round trip instead of BEGIN, the debit, the inserts and
 * COMMIT); on a SQLite file by the writer thread, off the event loop. undefined, with nothing
 * written, for anything else, which then goes through placeOrderBatch.
 */
export const placeCoveredOrdersAlone: AloneWork<NewOrder, { orderId: number }> = async (db, orders, kind) => {
  const accountId = orders[0]?.account_id;
  if (accountId === undefined) return undefined;
  if (orders.some((order) => order.account_id !== accountId || order.runs != null)) return undefined;
  const orderIds = await insertCoveredOrdersAlone(db, kind, accountId, orders);
  return orderIds?.map((orderId) => ({ ok: true, value: { orderId } }));
};

/** Plain orders placed together (group commit): alone when they can be, else in the batch. */
export const orderBatch: Bulk<NewOrder, { orderId: number }> = {
  together: placeOrderBatch,
  alone: placeCoveredOrdersAlone,
};
