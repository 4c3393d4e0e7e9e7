import { expect, it } from 'vitest';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { creditAccount } from '../src/app/credit-account.js';
import { placeOrder } from '../src/app/place-order.js';
import { recordOperatorReport } from '../src/app/record-order-progress.js';
import type { DeliveryReport } from '../src/domain/delivery-report.js';
import { isDomainError } from '../src/domain/errors.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';

/**
 * The real money paths (orders, deliveries, failed attempts, internal errors, cancels, credits
 * and debits, across discount tiers) in a seeded random order: `ledger verify` must find
 * nothing wrong with what they wrote, and money must be conserved.
 */
function random(seed: number) {
  let state = seed;
  const next = () => {
    // mulberry32: small, seeded, good enough to pick operations.
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

const EXPECTED_REFUSALS = new Set(['insufficient_balance', 'order_not_open']);

async function attempt(operation: () => Promise<unknown>): Promise<void> {
  await operation().catch((error: unknown) => {
    if (!isDomainError(error) || !EXPECTED_REFUSALS.has(error.code)) throw error;
  });
}

async function runOperations(db: TestDatabase, accounts: number[], steps: number, seed: number) {
  const rng = random(seed);
  const orders: number[] = [];
  const report = (orderId: number, build: (remains: number, status: string) => DeliveryReport) =>
    attempt(() =>
      recordOperatorReport(db.ctx, {
        orderId,
        actor: 'test',
        action: 'order.progress',
        report: (order) => build(order.remains, order.status),
      }),
    );
  for (let step = 0; step < steps; step++) {
    const accountId = accounts[rng.int(0, accounts.length - 1)] as number;
    const orderId = orders[rng.int(0, Math.max(0, orders.length - 1))];
    const kind = rng.int(0, 9);
    db.clock.advance(rng.int(0, 3) * 20 * 60 * 1000);
    if (kind <= 2 || orderId === undefined) {
      await attempt(async () => {
        const placed = await placeOrder(db.ctx, {
          accountId,
          serviceId: 1017,
          link: 'https://www.instagram.com/p/ABCDEF/',
          quantity: rng.int(25, 5000),
          comments: undefined,
        });
        orders.push(placed.orderId);
      });
    } else if (kind <= 4) {
      await report(orderId, (remains, status) =>
        status === 'Pending'
          ? { kind: 'start', startCount: 100 }
          : { kind: 'deliver', units: rng.int(1, remains) },
      );
    } else if (kind === 5) {
      for (let failure = 0; failure < rng.int(1, 5); failure++)
        await report(orderId, () => ({ kind: 'failed_attempt' }));
    } else if (kind === 6) {
      await report(orderId, () => ({ kind: 'internal_error' }));
    } else if (kind === 7) {
      const owner = await db.storage.db
        .selectFrom('orders')
        .select('account_id')
        .where('id', '=', orderId)
        .executeTakeFirstOrThrow();
      await cancelOrder(db.ctx, { accountId: owner.account_id, orderId });
    } else {
      const amountUnits = rng.int(-200_000, 300_000) || 1;
      await attempt(() =>
        creditAccount(db.ctx, { accountId, amountUnits, reason: `step ${step}`, actor: 'test' }),
      );
    }
  }
}

describeEachDatabase('ledger verify after random real operations', (db) => {
  it('finds every invariant holding, and money conserved', async () => {
    await createTestService(db(), {}, 1017);
    const accounts: number[] = [];
    for (const opening of [500_000, 3_000_000, 7_000_000])
      accounts.push((await createCustomer(db(), opening)).id);
    await runOperations(db(), accounts, 160, 20261127);

    await expectLedgerOk(db());

    // Money in (deposits and debits) equals money on balances plus what orders kept.
    const sum = async (kinds: ('deposit' | 'adjustment')[]) =>
      Number(
        (
          await db()
            .storage.db.selectFrom('ledger_entries')
            .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_units'), eb.lit(0)).as('total'))
            .where('kind', 'in', kinds)
            .executeTakeFirstOrThrow()
        ).total,
      );
    const kept = await db()
      .storage.db.selectFrom('orders')
      .select((eb) =>
        eb.fn
          .coalesce(eb.fn.sum<number>(eb('charge_units', '-', eb.ref('refunded_units'))), eb.lit(0))
          .as('total'),
      )
      .executeTakeFirstOrThrow();
    const balances = await db().storage.db.selectFrom('accounts').select('balance_units').execute();
    const onBalances = balances.reduce((total, row) => total + row.balance_units, 0);
    expect(onBalances + Number(kept.total)).toBe(await sum(['deposit', 'adjustment']));

    // The run was worth checking: it reached partial refunds, full refunds and errors.
    const statuses = await db().storage.db.selectFrom('orders').select('status').distinct().execute();
    expect(statuses.map((row) => row.status).sort()).toEqual(
      expect.arrayContaining(['Canceled', 'Error', 'In progress', 'Partial']),
    );
    const refunds = await db()
      .storage.db.selectFrom('ledger_entries')
      .select('id')
      .where('kind', '=', 'refund')
      .execute();
    expect(refunds.length).toBeGreaterThan(5);
  });
});
