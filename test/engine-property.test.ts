import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { applyReport } from '../src/app/apply-delivery-report.js';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { recordFailedAttempt } from '../src/app/record-failed-attempt.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { isDomainError } from '../src/domain/errors.js';
import { mulDivHalfUp } from '../src/domain/money.js';
import type { OrderRow } from '../src/storage/schema.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder, readOrder } from './support/engine.js';

const SERVICE = 901;

type Action =
  | { kind: 'progress'; units: number }
  | { kind: 'fail' }
  | { kind: 'cancel' }
  | { kind: 'internal_error' };

/** contract §9, from the order's final figures. */
function expectedRefund(order: OrderRow): number {
  const delivered = order.quantity - order.remains;
  switch (order.status) {
    case 'Canceled':
      return order.charge_units;
    case 'Error':
      return mulDivHalfUp(order.charge_units, order.remains, order.quantity);
    case 'Partial':
      if (order.failed_attempts >= 5)
        return mulDivHalfUp(order.charge_units, order.remains, 2 * order.quantity);
      return 2 * delivered >= order.quantity
        ? 0
        : mulDivHalfUp(order.charge_units, order.remains, 2 * order.quantity);
    default:
      return 0;
  }
}

describeEachDatabase('engine money property', (db) => {
  let accountId = 0;
  beforeAll(async () => {
    accountId = (await createCustomer(db(), 1_000_000_000)).id;
    await createTestService(db(), { minQuantity: 1, maxQuantity: 100_000, rateUnits: 33_333 }, SERVICE);
  });

  it('any sequence of operator steps, cancels and errors refunds exactly what contract §9 says, once', async () => {
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.record({ kind: fc.constant('progress' as const), units: fc.integer({ min: 1, max: 400 }) }),
      fc.constant({ kind: 'fail' as const }),
      fc.constant({ kind: 'cancel' as const }),
      fc.constant({ kind: 'internal_error' as const }),
    );
    let link = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(action, { maxLength: 12 }),
        async (quantity, actions) => {
          const { ctx } = db();
          link += 1;
          const orderId = await placeTestOrder(ctx, {
            accountId,
            serviceId: SERVICE,
            link: `https://www.instagram.com/p/Property${String(link).padStart(5, '0')}/`,
            quantity,
          });
          for (const next of actions) {
            try {
              if (next.kind === 'progress')
                await recordOrderProgress(ctx, { orderId, deliveredQuantity: next.units, actor: 'p' });
              else if (next.kind === 'fail') await recordFailedAttempt(ctx, { orderId, actor: 'p' });
              else if (next.kind === 'cancel') await cancelOrder(ctx, { accountId, orderId });
              else await applyReport(ctx, { orderId, report: { kind: 'internal_error' } });
            } catch (error) {
              // Refusals (final order, too many units) change nothing; anything else is a bug.
              if (
                !isDomainError(error, 'order_not_open') &&
                !isDomainError(error, 'delivered_exceeds_remains')
              )
                throw error;
            }
          }
          const order = await readOrder(ctx, orderId);
          expect(order.refunded_units).toBe(expectedRefund(order));
          const refunds = await ctx.db
            .selectFrom('ledger_entries')
            .select('amount_units')
            .where('order_id', '=', orderId)
            .where('kind', '=', 'refund')
            .execute();
          expect(refunds.reduce((sum, entry) => sum + entry.amount_units, 0)).toBe(order.refunded_units);
          expect(refunds.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
    await expectLedgerOk(db().ctx);
  }, 120_000);
});
