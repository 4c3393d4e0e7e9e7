import { expect } from 'vitest';
import { applyOrderTransition } from '../../src/app/apply-order-transition.js';
import type { AppContext } from '../../src/app/context.js';
import { toOrderState } from '../../src/app/order-state.js';
import { verifyLedger } from '../../src/app/verify-ledger.js';
import type { OrderState } from '../../src/domain/order-lifecycle.js';
import {
  type Decision,
  decideDelivery,
  decideStart,
  type Transition,
} from '../../src/domain/order-lifecycle.js';
import { findOrderById } from '../../src/storage/orders-repository.js';
import { rowCount, type TestDatabase } from './databases.js';

/** What a refused request must leave untouched: balances, orders and ledger entries. */
export async function snapshot(db: TestDatabase) {
  const d = db.ctx.db;
  const balances = await d.selectFrom('accounts').select(['id', 'balance_units']).orderBy('id').execute();
  return {
    balances: balances.map((row) => [Number(row.id), Number(row.balance_units)]),
    orders: await rowCount(db, 'orders'),
    entries: await rowCount(db, 'ledger_entries'),
    idempotencyKeys: await rowCount(db, 'idempotency_keys'),
  };
}

/** Every invariant `inspiria ledger verify` checks holds; a failure names the violations. */
export async function expectLedgerOk(target: TestDatabase | AppContext): Promise<void> {
  const report = await verifyLedger('ctx' in target ? target.ctx : target);
  expect(report.violations).toEqual([]);
  expect(report.ok).toBe(true);
}

export async function balanceOf(db: TestDatabase, accountId: number): Promise<number> {
  const row = await db.ctx.db
    .selectFrom('accounts')
    .select('balance_units')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.balance_units);
}

export async function storedOrder(db: TestDatabase, orderId: number) {
  const order = await findOrderById(db.ctx.db, orderId);
  if (!order) throw new Error(`no order ${orderId}`);
  return order;
}

/** Moves an order one lifecycle step through the use-case path (version check, refund entry). */
export async function stepOrder(
  db: TestDatabase,
  orderId: number,
  decide: (state: OrderState) => Decision<Transition>,
  startCount?: number,
): Promise<void> {
  await db.ctx.db.transaction().execute(async (trx) => {
    const order = await findOrderById(trx, orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    const decision = decide(toOrderState(order));
    if (!decision.ok) throw new Error(`order ${orderId}: ${decision.refusal.code}`);
    const isApplied = await applyOrderTransition(trx, {
      order,
      transition: decision.value,
      nowMs: db.clock.now(),
      ...(startCount === undefined ? {} : { startCount }),
    });
    if (!isApplied) throw new Error(`order ${orderId} changed underneath`);
  });
}

/** Starts delivery (with `startCount`) and delivers `deliveredQuantity` units. */
export async function deliver(
  db: TestDatabase,
  orderId: number,
  deliveredQuantity: number,
  startCount = 1042,
): Promise<void> {
  const order = await storedOrder(db, orderId);
  if (order.status === 'Pending') await stepOrder(db, orderId, decideStart, startCount);
  if (deliveredQuantity > 0)
    await stepOrder(db, orderId, (state) => decideDelivery(state, deliveredQuantity));
}

export async function ledgerEntriesOf(db: TestDatabase, orderId: number) {
  return db.ctx.db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}
