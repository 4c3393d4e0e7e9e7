import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../src/app/context.js';
import { creditAccount } from '../src/app/credit-account.js';
import { placeOrder } from '../src/app/place-order.js';
import { placeCoveredOrdersAlone } from '../src/app/place-order-batch.js';
import { verifyLedger } from '../src/app/verify-ledger.js';
import type { SqliteKysely } from '../src/storage/sqlite-kysely.js';
import type { SqliteOrderWriter } from '../src/storage/sqlite-order-writer.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { createTestDatabase, type TestDatabase } from './support/databases.js';
import {
  batchOrder,
  chargeEntries,
  DECIDED_ONE_BY_ONE,
  refusalsOf,
} from './support/group-commit-fixtures.js';

const LINK = 'https://www.instagram.com/p/ABCDE12345/';

/**
 * SQLite's plain orders stored by the writer thread (sqlite-order-writer.ts) on its own
 * connection to the file, beside the main connection's path they fall back to.
 */
describe('orders stored by the SQLite writer thread', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let serviceId = 0;
  let writer: SqliteOrderWriter;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    // 1 unit per unit ordered: an order of 600 costs 600 units.
    serviceId = (await createTestService(db, { rateUnits: 1000, minQuantity: 1, maxQuantity: 100_000 })).id;
    const orderWriter = (db.storage.db as SqliteKysely).orderWriter;
    if (!orderWriter) throw new Error('a file database has an order writer');
    writer = orderWriter;
  });
  afterAll(() => db.drop());

  const place = (ctx: TestDatabase['ctx'], accountId: number, quantity: number, link = LINK) =>
    placeOrder(ctx, { accountId, serviceId, link, quantity, comments: undefined });

  const balanceOf = async (accountId: number) =>
    (
      await db.ctx.db
        .selectFrom('accounts')
        .select('balance_units')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).balance_units;

  const ordersOf = (accountId: number) =>
    db.ctx.db
      .selectFrom('orders')
      .select(['id', 'charge_units', 'status', 'remains', 'status_wire'])
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();

  it('stores orders placed together, their debit and entries, and the main connection reads them at once', async () => {
    const customer = await createCustomer(db, 10_000);
    const stored = writer.stats.stored;
    const placed = await Promise.all(
      [300, 200, 100, 400].map((quantity) => place(db.ctx, customer.id, quantity)),
    );
    expect(writer.stats.stored).toBeGreaterThan(stored);
    const ids = placed.map((p) => p.orderId);
    // Read on the main connection, straight after the answers: the commit is seen at once.
    const orders = await ordersOf(customer.id);
    expect(orders.map((o) => [o.id, o.charge_units, o.status, o.remains])).toEqual([
      [ids[0], 300, 'Pending', 300],
      [ids[1], 200, 'Pending', 200],
      [ids[2], 100, 'Pending', 100],
      [ids[3], 400, 'Pending', 400],
    ]);
    // Written with the row, as the main connection's path writes it (migration 021's text).
    expect(JSON.parse(orders[0]?.status_wire ?? '')).toEqual({
      charge: '0.0300',
      start_count: '0',
      status: 'Pending',
      remains: '300',
      currency: 'EUR',
    });
    expect(await chargeEntries(db, customer.id)).toEqual([
      { order_id: ids[0], amount_units: -300, balance_after_units: 9_700 },
      { order_id: ids[1], amount_units: -200, balance_after_units: 9_500 },
      { order_id: ids[2], amount_units: -100, balance_after_units: 9_400 },
      { order_id: ids[3], amount_units: -400, balance_after_units: 9_000 },
    ]);
    expect(await balanceOf(customer.id)).toBe(9_000);
    expect((await verifyLedger(db.ctx)).violations).toEqual([]);
  });

  it('hands back a batch its balance does not cover, and the main path refuses exactly the ones it must', async () => {
    const customer = await createCustomer(db, DECIDED_ONE_BY_ONE.openingUnits);
    const handedBack = writer.stats.handedBack;
    const settled = await Promise.allSettled(
      DECIDED_ONE_BY_ONE.charges.map((quantity) => place(db.ctx, customer.id, quantity)),
    );
    expect(writer.stats.handedBack).toBeGreaterThan(handedBack);
    expect(settled.map((s) => s.status)).toEqual(DECIDED_ONE_BY_ONE.statuses);
    expect(refusalsOf(settled)).toEqual(DECIDED_ONE_BY_ONE.refusals);
    expect(await balanceOf(customer.id)).toBe(0);
    expect((await verifyLedger(db.ctx)).violations).toEqual([]);
  });

  it('hands back a batch whose statement failed, writing none of it; the main path stores the others', async () => {
    const customer = await createCustomer(db, 10_000);
    await sql`create trigger refuse_marked_link before insert on orders when new.link like '%REFUSED%'
      begin select raise(abort, 'refused by the test'); end`.execute(db.storage.db);
    try {
      const handedBack = writer.stats.handedBack;
      const settled = await Promise.allSettled([
        place(db.ctx, customer.id, 100),
        place(db.ctx, customer.id, 200, 'https://www.instagram.com/p/REFUSED123/'),
        place(db.ctx, customer.id, 300),
      ]);
      expect(writer.stats.handedBack).toBeGreaterThan(handedBack);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((settled[1] as PromiseRejectedResult).reason)).toContain('refused by the test');
      expect((await ordersOf(customer.id)).map((o) => o.charge_units)).toEqual([100, 300]);
      expect(await balanceOf(customer.id)).toBe(9_600);
    } finally {
      await sql`drop trigger refuse_marked_link`.execute(db.storage.db);
    }
    expect((await verifyLedger(db.ctx)).violations).toEqual([]);
  });

  it('hands orders that set different columns to the batch path without asking the thread', async () => {
    const customer = await createCustomer(db, 10_000);
    const plain = batchOrder(customer.id, serviceId, 100, 1_000);
    const timed = { ...batchOrder(customer.id, serviceId, 100, 1_000), next_run_at: 9 };
    const asked = writer.stats.stored + writer.stats.handedBack;
    expect(await placeCoveredOrdersAlone(db.storage.db, [plain, timed], 'sqlite')).toBeUndefined();
    expect(writer.stats.stored + writer.stats.handedBack).toBe(asked);
    expect(await ordersOf(customer.id)).toEqual([]);
    expect(await balanceOf(customer.id)).toBe(10_000);
  });

  it('keeps exact balances while the main connection credits the same account and a second process places orders', async () => {
    const customer = await createCustomer(db, 50_000);
    // Another process on the same file: its own main connection and its own writer thread.
    const other = db.openAnother();
    const otherCtx = createAppContext(other, db.clock);
    const jobs: Promise<unknown>[] = [];
    for (let round = 0; round < 20; round++) {
      jobs.push(place(db.ctx, customer.id, 100), place(otherCtx, customer.id, 200));
      jobs.push(
        creditAccount(db.ctx, { accountId: customer.id, amountUnits: 50, reason: 'test', actor: 'test' }),
      );
    }
    await Promise.all(jobs);
    expect(await balanceOf(customer.id)).toBe(50_000 - 20 * 100 - 20 * 200 + 20 * 50);
    expect((await ordersOf(customer.id)).length).toBe(40);
    expect((await verifyLedger(db.ctx)).violations).toEqual([]);
    await other.close();
  });

  it('answers the writes asked before it closes, and starts again for the next one', async () => {
    const customer = await createCustomer(db, 10_000);
    const placed = Promise.all([100, 200].map((quantity) => place(db.ctx, customer.id, quantity)));
    // Once the batch is on its way to the thread.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    await writer.close();
    expect((await placed).length).toBe(2);
    const stored = writer.stats.stored;
    await place(db.ctx, customer.id, 300);
    expect(writer.stats.stored).toBe(stored + 1);
    expect(await balanceOf(customer.id)).toBe(9_400);
  });

  it('fails the writes of a thread that died, leaving the ledger whole, and the next write starts a new one', async () => {
    const customer = await createCustomer(db, 10_000);
    const placed = Promise.allSettled([100, 200].map((quantity) => place(db.ctx, customer.id, quantity)));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // The writer's IdleThread, and in it the running thread's Worker (idle-thread.ts).
    type Running = { thread: { thread?: { worker: { terminate(): Promise<number> } } } };
    const thread = (writer as unknown as Running).thread.thread?.worker;
    expect(thread).toBeDefined();
    await thread?.terminate();
    const outcomes = await placed;
    // Killed before or after its COMMIT: each caller got an order or an error, never a wrong answer.
    const placedIds = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.orderId] : []));
    const stored = await ordersOf(customer.id);
    for (const id of placedIds) expect(stored.map((o) => o.id)).toContain(id);
    expect([0, 2]).toContain(stored.length);
    expect(await balanceOf(customer.id)).toBe(10_000 - stored.reduce((sum, o) => sum + o.charge_units, 0));
    const next = await place(db.ctx, customer.id, 50);
    expect((await ordersOf(customer.id)).map((o) => o.id)).toContain(next.orderId);
    expect((await verifyLedger(db.ctx)).violations).toEqual([]);
  });
});
