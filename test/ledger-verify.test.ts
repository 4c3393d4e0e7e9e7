import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { creditAccount } from '../src/app/credit-account.js';
import { placeOrder } from '../src/app/place-order.js';
import { LEDGER_CHECKS, verifyLedger } from '../src/app/verify-ledger.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { buildOnce, runCli } from './support/cli.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';

/**
 * `inspiria ledger verify` on a clean ledger, then on one tampered with around the ledger
 * (the ledger table itself refuses UPDATE and DELETE): each tampering must add exactly the
 * violations that name it, and the CLI must exit 1 naming every one.
 */
async function order(db: TestDatabase, accountId: number, quantity: number): Promise<number> {
  const placed = await placeOrder(db.ctx, {
    accountId,
    serviceId: 1017,
    link: 'https://www.instagram.com/p/ABCDEF/',
    quantity,
    comments: undefined,
  });
  return placed.orderId;
}

/** An order row written behind the use cases' back, with no ledger entry. */
async function rawOrder(db: TestDatabase, accountId: number, chargeUnits: number): Promise<number> {
  const row = await db.storage.db
    .insertInto('orders')
    .values({
      account_id: accountId,
      service_id: 1017,
      link: 'https://www.instagram.com/p/ABCDEF/',
      quantity: 100,
      charge_units: chargeUnits,
      status: 'Pending',
      remains: 100,
      created_at: db.clock.now(),
      updated_at: db.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A ledger entry written behind postLedgerEntry's back, with the balance moved to match. */
async function rawEntry(
  db: TestDatabase,
  entry: {
    accountId: number;
    kind: 'deposit' | 'charge' | 'refund';
    amountUnits: number;
    orderId?: number;
    balanceAfterUnits?: number;
  },
): Promise<void> {
  const account = await db.storage.db
    .selectFrom('accounts')
    .select('balance_units')
    .where('id', '=', entry.accountId)
    .executeTakeFirstOrThrow();
  const balanceAfter = account.balance_units + entry.amountUnits;
  await db.storage.db
    .insertInto('ledger_entries')
    .values({
      account_id: entry.accountId,
      kind: entry.kind,
      amount_units: entry.amountUnits,
      balance_after_units: entry.balanceAfterUnits ?? balanceAfter,
      order_id: entry.orderId ?? null,
      created_at: db.clock.now(),
    })
    .execute();
  await db.storage.db
    .updateTable('accounts')
    .set({ balance_units: balanceAfter })
    .where('id', '=', entry.accountId)
    .execute();
}

describeEachDatabase('ledger verify', (db) => {
  let build = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'inspiria-ledger-'));
  const cli = (...args: string[]) => runCli(build, args, { DATABASE_URL: db().url, DATA_DIR: dataDir });
  let alice = 0;
  let bob = 0;
  let known: string[] = [];

  /** The violations that appeared since the last call. */
  async function newViolations(): Promise<string[]> {
    const { violations } = await verifyLedger(db().ctx);
    const added = violations.filter((violation) => !known.includes(violation));
    known = violations;
    return added;
  }

  beforeAll(async () => {
    build = await buildOnce();
    await createTestService(db(), {}, 1017);
    alice = (await createCustomer(db(), 100_000)).id;
    bob = (await createCustomer(db(), 50_000)).id;
    await order(db(), alice, 100);
    const cancelled = await order(db(), alice, 1000);
    expect(await cancelOrder(db().ctx, { accountId: alice, orderId: cancelled })).toMatchObject({ ok: true });
    await order(db(), bob, 25);
    await creditAccount(db().ctx, { accountId: bob, amountUnits: -1_000, reason: 'fee', actor: 'test' });
  }, 180_000);

  it('passes a clean ledger with charges, a refund, a deposit and a debit, and prints a summary', async () => {
    const report = await verifyLedger(db().ctx);
    expect(report).toEqual({
      ok: true,
      accounts: 2,
      orders: 3,
      entries: 7,
      // 10 − 0.35 − 3.5 + 3.5 (refund) + 5 − 0.0875 − 0.1
      totalBalance: '14.4625',
      checks: [...LEDGER_CHECKS],
      violations: [],
    });
    const result = await cli('ledger', 'verify');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.json).toEqual(report);
  });

  it('names a balance changed directly in the accounts table', async () => {
    await db()
      .storage.db.updateTable('accounts')
      .set({ balance_units: 110_000 })
      .where('id', '=', alice)
      .execute();
    expect(await newViolations()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^account ${alice} \\(.+\\): balance 11\\.0000 does not equal the sum of its 4 ledger entries 9\\.6500$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^account ${alice} \\(.+\\): balance 11\\.0000 does not equal the balance after its last ledger entry \\d+ \\(9\\.6500\\)$`,
        ),
      ),
    ]);
  });

  it('names an order without a charge entry', async () => {
    const orderId = await rawOrder(db(), bob, 3_500);
    expect(await newViolations()).toEqual([
      `order ${orderId}: has 0 charge entries, expected exactly one`,
      `order ${orderId}: charge entries total 0.0000, the order's charge is 0.3500`,
    ]);
  });

  it('names an order whose refunded amount is not what its refund entries say', async () => {
    const orderId = await order(db(), bob, 100);
    known = (await verifyLedger(db().ctx)).violations;
    await db()
      .storage.db.updateTable('orders')
      .set({ refunded_units: 100 })
      .where('id', '=', orderId)
      .execute();
    expect(await newViolations()).toEqual([
      `order ${orderId}: refund entries total 0.0000, the order says 0.0100 refunded`,
    ]);
  });

  it('names a refund above the charge', async () => {
    const orderId = await order(db(), bob, 100);
    known = (await verifyLedger(db().ctx)).violations;
    await rawEntry(db(), { accountId: bob, kind: 'refund', amountUnits: 3_501, orderId });
    expect(await newViolations()).toEqual([
      `order ${orderId}: refunds 0.3501 exceed the charge 0.3500`,
      `order ${orderId}: refund entries total 0.3501, the order says 0.0000 refunded`,
    ]);
  });

  it('names a charge booked on another account than the order', async () => {
    const orderId = await rawOrder(db(), alice, 2_000);
    known = (await verifyLedger(db().ctx)).violations;
    await rawEntry(db(), { accountId: bob, kind: 'charge', amountUnits: -2_000, orderId });
    expect(await newViolations()).toEqual([
      `order ${orderId}: 1 of its ledger entries are on another account than the order's (${alice})`,
    ]);
  });

  it('names an entry whose balance after is not the running sum', async () => {
    const carol = (await createCustomer(db(), 50_000)).id;
    await rawEntry(db(), {
      accountId: carol,
      kind: 'deposit',
      amountUnits: 10_000,
      balanceAfterUnits: 50_000,
    });
    const [violation, ...rest] = await newViolations();
    expect(rest).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ledger entry \\d+ of account ${carol}: records balance after 5\\.0000, but the account's entries up to it sum to 6\\.0000$`,
        ),
      ),
      // A deposit written behind the payments' back is also one no payment credited.
      expect.stringMatching(
        new RegExp(`^ledger entry \\d+ \\(deposit of 1\\.0000 to account ${carol}\\): names no payment$`),
      ),
    ]);
    expect(violation).toMatch(
      new RegExp(
        `^account ${carol} .*balance 6\\.0000 does not equal the balance after its last ledger entry \\d+ \\(5\\.0000\\)$`,
      ),
    );
  });

  it('names a balance below zero, were the CHECK constraint ever lifted', async () => {
    const dave = (await createCustomer(db(), 0)).id;
    if (db().name === 'sqlite') await sql`pragma ignore_check_constraints = on`.execute(db().storage.db);
    else
      await sql`alter table accounts drop constraint accounts_balance_units_check`.execute(db().storage.db);
    await db().storage.db.updateTable('accounts').set({ balance_units: -1 }).where('id', '=', dave).execute();
    if (db().name === 'sqlite') await sql`pragma ignore_check_constraints = off`.execute(db().storage.db);
    expect(await newViolations()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^account ${dave} .*: balance -0\\.0001 does not equal the sum of its 0 ledger entries 0\\.0000$`,
        ),
      ),
      expect.stringMatching(new RegExp(`^account ${dave} .*: balance -0\\.0001 is below zero$`)),
    ]);
  });

  it('the CLI exits 1 naming every violation on stderr, and reports them as JSON', async () => {
    const report = await verifyLedger(db().ctx);
    expect(report.ok).toBe(false);
    expect(report.violations).toHaveLength(13);
    const result = await cli('ledger', 'verify');
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual(
      report.violations.map((violation) => `violation: ${violation}`),
    );
    expect(result.json).toEqual(report);
  });
});
