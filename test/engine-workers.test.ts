import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { createAppContext } from '../src/app/context.js';
import { Worker } from '../src/engine/worker.js';
import { countUnsettledOrders } from '../src/storage/engine-repository.js';
import type { OrderRow } from '../src/storage/schema.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from './support/databases.js';
import { placeTestOrder, testSettings } from './support/engine.js';

const ORDERS = 1000;
const QUANTITY = 100;
const STEP_UNITS = 25;
const SERVICE = 601;

/** The refund contract §9 gives for a final order, from its recorded figures. */
function expectedRefund(order: OrderRow): number {
  const half = (units: number) => Math.floor((2 * units + 1) / 2);
  const undelivered = (order.charge_units * order.remains) / order.quantity;
  switch (order.status) {
    case 'Completed':
      return 0;
    case 'Canceled':
      return order.charge_units;
    case 'Error':
      return half(undelivered);
    case 'Partial':
      return 2 * (order.quantity - order.remains) >= order.quantity ? 0 : half(undelivered / 2);
    default:
      throw new Error(`order ${order.id} is not final: ${order.status}`);
  }
}

describe.skipIf(!isPostgresAvailable)('two workers on PostgreSQL', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db.drop());

  it(`process ${ORDERS} orders: each reaches a final status once, no step or refund twice`, async () => {
    const { id: accountId } = await createCustomer(db, 1_000_000_000);
    await createTestService(db, { backend: 'simulator', minQuantity: 1 }, SERVICE);
    const links = ['Plain', 'goneX', 'crashX', 'flakyX'];
    const orderIds: number[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const prefix = i % 10 < 7 ? 'Plain' : (links[(i % 10) - 6] as string);
      orderIds.push(
        await placeTestOrder(db.ctx, {
          accountId,
          serviceId: SERVICE,
          link: `https://www.instagram.com/p/${prefix}${String(i).padStart(5, '0')}/`,
          quantity: QUANTITY,
        }),
      );
    }
    const settings = testSettings({
      batchSize: 20,
      simulator: { startDelayMs: 0, stepMs: 0, stepUnits: STEP_UNITS },
    });
    const workers = [db.openAnother(), db.openAnother()].map(
      (storage, index) =>
        new Worker({ ctx: createAppContext(storage, db.clock), settings, owner: `w${index}` }),
    );
    // A customer cancels every 25th order while the workers run.
    const cancels = (async () => {
      for (let i = 0; i < ORDERS; i += 25) {
        await cancelOrder(db.ctx, { accountId, orderId: orderIds[i] as number });
      }
    })();
    const stepsByWorker = [0, 0];
    for (let round = 0; round < 1000 && (await countUnsettledOrders(db.ctx.db)) > 0; round++) {
      const steps = await Promise.all(workers.map((worker) => worker.runOnce()));
      steps.forEach((count, index) => {
        stepsByWorker[index] = (stepsByWorker[index] as number) + count;
      });
    }
    await cancels;
    expect(await countUnsettledOrders(db.ctx.db)).toBe(0);
    // Both took a share of the work.
    expect(stepsByWorker.every((count) => count > 0)).toBe(true);

    const orders = await db.ctx.db
      .selectFrom('orders')
      .selectAll()
      .where('service_id', '=', SERVICE)
      .execute();
    expect(orders).toHaveLength(ORDERS);
    const refunds = await db.ctx.db
      .selectFrom('ledger_entries')
      .select(['order_id', 'amount_units'])
      .where('kind', '=', 'refund')
      .execute();
    const refundByOrder = new Map<number, number[]>();
    for (const entry of refunds) {
      refundByOrder.set(entry.order_id as number, [
        ...(refundByOrder.get(entry.order_id as number) ?? []),
        entry.amount_units,
      ]);
    }
    for (const order of orders) {
      expect(order.refunded_units).toBe(expectedRefund(order));
      const entries = refundByOrder.get(order.id) ?? [];
      expect(entries.length).toBeLessThanOrEqual(1);
      expect(entries[0] ?? 0).toBe(order.refunded_units);
      if (order.link.includes('/Plain') || order.link.includes('/flaky')) {
        if (order.status === 'Completed') {
          // One write to start and one per step of 25: a step applied twice would show here.
          expect(order.remains).toBe(0);
          expect(order.version).toBe(1 + QUANTITY / STEP_UNITS + (order.link.includes('/flaky') ? 3 * 4 : 0));
        } else {
          expect(['Canceled', 'Partial']).toContain(order.status);
        }
      }
      if (order.link.includes('/gone') && order.status === 'Partial' && order.failed_attempts === 5) {
        expect(order.refunded_units).toBe(order.charge_units / 2);
      }
    }
    await expectLedgerOk(db.ctx);
  }, 240_000);
});
