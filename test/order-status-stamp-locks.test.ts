import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inLockOrder } from '../src/engine/worker.js';
import { loadPgDriver } from '../src/storage/drivers.js';
import { twoCustomersWithOrders } from './support/api-server.js';
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from './support/databases.js';

/**
 * Migration 024's stamps are rows locked by every transaction that changes an account's order
 * answers (on PostgreSQL at commit). Two transactions that reach two accounts' stamps in
 * opposite orders deadlock; in the same order one waits for the other. The worker applies a
 * group's steps in account order (inLockOrder) for that reason.
 */
describe.skipIf(!isPostgresAvailable)('the order-status stamps under concurrent transactions', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  const clients: pg.Client[] = [];
  let first: { a: number; b: number };
  let second: { a: number; b: number };
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const { owner, other, place } = await twoCustomersWithOrders(
      db,
      'https://www.instagram.com/p/StampLocks/',
    );
    first = { a: await place(owner.id, 100), b: await place(other.id, 100) };
    second = { a: await place(owner.id, 100), b: await place(other.id, 100) };
    for (let i = 0; i < 2; i += 1) {
      const client = new (loadPgDriver().Client)({ connectionString: db.url });
      await client.connect();
      // Each step's triggers run at once, so the test decides when each lock is taken.
      await client.query("set deadlock_timeout = '50ms'");
      clients.push(client);
    }
  });
  afterAll(async () => {
    for (const client of clients) await client.end();
    await db.drop();
  });

  const [one, two] = [() => clients[0] as pg.Client, () => clients[1] as pg.Client];
  const step = (client: pg.Client, orderId: number) =>
    client.query('update orders set remains = remains - 1 where id = $1', [orderId]);
  const begin = async (client: pg.Client) => {
    await client.query('begin');
    await client.query('set constraints all immediate');
  };

  it('deadlocks two transactions that reach two accounts in opposite orders', async () => {
    await begin(one());
    await begin(two());
    await step(one(), first.a);
    await step(two(), second.b);
    const outcomes = await Promise.allSettled([step(one(), first.b), step(two(), second.a)]);
    const codes = outcomes.map((outcome) =>
      outcome.status === 'rejected' ? (outcome.reason as { code?: string }).code : 'ok',
    );
    expect(codes.sort()).toEqual(['40P01', 'ok']);
    await one().query('rollback');
    await two().query('rollback');
  });

  it('lets them queue, both committed, when both go in account order', async () => {
    await begin(one());
    await begin(two());
    await step(one(), first.a);
    const waiting = step(two(), second.a).then(() => step(two(), second.b));
    await step(one(), first.b);
    await one().query('commit');
    await waiting;
    await two().query('commit');
    const { rows } = await one().query<{ remains: string }>(
      'select remains from orders where id = any($1) order by id',
      [[first.a, first.b, second.a, second.b]],
    );
    expect(rows.map((row) => Number(row.remains))).toEqual([99, 99, 99, 99]);
  });

  it('puts a group in account order, then id', () => {
    const group = [
      { id: 5, account_id: 2 },
      { id: 3, account_id: 1 },
      { id: 4, account_id: 2 },
      { id: 9, account_id: 1 },
    ];
    expect(inLockOrder(group).map((order) => order.id)).toEqual([3, 9, 4, 5]);
    expect(group.map((order) => order.id)).toEqual([5, 3, 4, 9]);
  });
});
