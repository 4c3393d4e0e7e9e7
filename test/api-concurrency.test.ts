import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOrderTransition } from '../src/app/apply-order-transition.js';
import { toOrderState } from '../src/app/order-state.js';
import { decideDelivery, decideStart } from '../src/domain/order-lifecycle.js';
import { findOrderById } from '../src/storage/orders-repository.js';
import { startApiNodeProcess } from './support/api-node-child.js';
import {
  callApi,
  createCustomer,
  createTestService,
  startApiServer,
  startSecondNode,
} from './support/api-server.js';
import { balanceOf, expectLedgerOk, ledgerEntriesOf, stepOrder, storedOrder } from './support/api-state.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';

const POST = 'https://www.instagram.com/p/XXXXX/';

/** One delivery step as the worker takes it: read, decide, write at the version read; retried on a race. */
async function deliverStep(db: TestDatabase, orderId: number, units: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const outcome = await db.ctx.db.transaction().execute(async (trx) => {
      const order = await findOrderById(trx, orderId);
      if (!order) throw new Error('order vanished');
      const decision = decideDelivery(toOrderState(order), units);
      if (!decision.ok) return false;
      const isApplied = await applyOrderTransition(trx, {
        order,
        transition: decision.value,
        nowMs: db.clock.now(),
      });
      return isApplied ? true : 'retry';
    });
    if (outcome !== 'retry') return outcome;
  }
  throw new Error('delivery step kept losing races');
}

describeEachDatabase('api v2 under concurrency', (db) => {
  let nodes: string[] = [];
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const first = await startApiServer(db());
    stops.push(() => first.app.close());
    await createTestService(db(), {}, 1017);
    const second = await startSecondNode(db());
    stops.push(second.stop);
    const third = await startApiNodeProcess(db());
    stops.push(third.stop);
    nodes = [first.baseUrl, second.baseUrl, third.baseUrl];
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  const N = 60;
  const K = 23;

  for (const spread of ['one node', 'three nodes'] as const) {
    describe(spread, () => {
      const nodeFor = (i: number) =>
        spread === 'one node' ? (nodes[0] as string) : (nodes[i % 3] as string);

      it(`a balance covering exactly ${K} of ${N} parallel orders makes exactly ${K}`, async () => {
        const customer = await createCustomer(db(), K * 3_500 + 1_200);
        const responses = await Promise.all(
          Array.from({ length: N }, (_, i) =>
            callApi(nodeFor(i), {
              key: customer.apiKey,
              action: 'add',
              service: 1017,
              link: POST,
              quantity: 100,
            }),
          ),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(N).fill(200));
        const orders = responses.flatMap((r) =>
          'order' in (r.body as object) ? [(r.body as { order: number }).order] : [],
        );
        const errors = responses.flatMap((r) =>
          'error' in (r.body as object) ? [(r.body as { error: string }).error] : [],
        );
        expect(orders).toHaveLength(K);
        expect(new Set(orders).size).toBe(K);
        expect(errors).toEqual(
          Array(N - K).fill('Insufficient balance. Required: €0.3500, Available: €0.1200'),
        );
        expect(await balanceOf(db(), customer.id)).toBe(1_200);
        const stored = await db()
          .ctx.db.selectFrom('orders')
          .select('id')
          .where('account_id', '=', customer.id)
          .execute();
        expect(stored.map((row) => Number(row.id)).sort((a, b) => a - b)).toEqual(
          [...orders].sort((a, b) => a - b),
        );
        await expectLedgerOk(db());
      });

      it('20 parallel cancels of one order refund it exactly once', async () => {
        const customer = await createCustomer(db(), 3_500);
        const placed = await callApi(nodeFor(0), {
          key: customer.apiKey,
          action: 'add',
          service: 1017,
          link: POST,
          quantity: 100,
        });
        const orderId = (placed.body as { order: number }).order;
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            callApi(nodeFor(i), { key: customer.apiKey, action: 'cancel', order: orderId }),
          ),
        );
        const values = responses.map((r) => (r.body as Record<string, unknown>)[String(orderId)]);
        expect(values.filter((v) => v === 1)).toHaveLength(1);
        expect(values.filter((v) => v !== 1)).toEqual(Array(19).fill('Cannot cancel: status is canceled'));
        expect(await balanceOf(db(), customer.id)).toBe(3_500);
        const refunds = (await ledgerEntriesOf(db(), orderId)).filter((e) => e.kind === 'refund');
        expect(refunds.map((e) => Number(e.amount_units))).toEqual([3_500]);
        expect((await storedOrder(db(), orderId)).status).toBe('Canceled');
        await expectLedgerOk(db());
      });

      it('a cancel racing delivery steps refunds from the delivery recorded when it commits', async () => {
        const customer = await createCustomer(db(), 35_000);
        const placed = await callApi(nodeFor(0), {
          key: customer.apiKey,
          action: 'add',
          service: 1017,
          link: POST,
          quantity: 1000,
        });
        const orderId = (placed.body as { order: number }).order;
        await stepOrder(db(), orderId, decideStart, 1);
        const steps = Array.from({ length: 30 }, () => deliverStep(db(), orderId, 10));
        const cancels = Array.from({ length: 3 }, (_, i) =>
          callApi(nodeFor(i), { key: customer.apiKey, action: 'cancel', order: orderId }),
        );
        const [stepResults, cancelResults] = await Promise.all([Promise.all(steps), Promise.all(cancels)]);
        const values = cancelResults.map((r) => (r.body as Record<string, unknown>)[String(orderId)]);
        expect(values.filter((v) => v === 1)).toHaveLength(1);
        const order = await storedOrder(db(), orderId);
        const delivered = 1000 - Number(order.remains);
        // Every step that committed is in `remains`; none committed after the cancel.
        expect(delivered).toBe(10 * stepResults.filter(Boolean).length);
        const expectedRefund =
          delivered === 0
            ? 35_000
            : 2 * delivered < 1000
              ? Math.round((35_000 * (1000 - delivered)) / 2000)
              : 0;
        expect(Number(order.refunded_units)).toBe(expectedRefund);
        expect(order.status).toBe(delivered === 0 ? 'Canceled' : 'Partial');
        expect(await balanceOf(db(), customer.id)).toBe(expectedRefund);
        expect(await deliverStep(db(), orderId, 10)).toBe(false); // delivery stops for good
        await expectLedgerOk(db());
      });

      it('10 parallel retries with one Idempotency-Key make one order', async () => {
        const customer = await createCustomer(db(), 100_000);
        const responses = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            callApi(
              nodeFor(i),
              { key: customer.apiKey, action: 'add', service: 1017, link: POST, quantity: 100 },
              { headers: { 'idempotency-key': 'parallel-retry' } },
            ),
          ),
        );
        const first = responses[0]?.body as { order: number };
        expect(first).toEqual({ order: expect.any(Number) });
        for (const response of responses) expect(response.body).toEqual(first);
        expect(await balanceOf(db(), customer.id)).toBe(100_000 - 3_500);
        await expectLedgerOk(db());
      });
    });
  }
});
