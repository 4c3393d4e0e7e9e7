import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { getOrderStatusesByKey } from '../src/app/get-order-statuses.js';
import { regenerateApiKey } from '../src/app/regenerate-api-key.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { setApiProfile } from '../src/app/set-api-profile.js';
import type { OrderStatus } from '../src/domain/order-lifecycle.js';
import type { Storage } from '../src/storage/connection.js';
import { releaseLeases } from '../src/storage/engine-repository.js';
import { twoCustomersWithOrders } from './support/api-server.js';
import { describeEachDatabase, TEST_PROVIDER_NETWORK } from './support/databases.js';

/**
 * What an API node keeps of a polled batch (status-answers-kept.ts, migration 024): answered
 * again from memory only while the statement finds the account, its profile and its stamp
 * unchanged; every change of an order's answer, on any node, is seen by the very next poll.
 */
describeEachDatabase('status answers kept between polls', (db) => {
  /** A second API node: its own connection to the same database (on SQLite, as another process). */
  let other: AppContext;
  let otherStorage: Storage;
  beforeAll(() => {
    otherStorage = db().openAnother();
    other = createAppContext(otherStorage, db().clock, undefined, TEST_PROVIDER_NETWORK);
  });
  afterAll(async () => {
    await otherStorage.close();
  });

  const poll = async (ctx: AppContext, key: string, ids: readonly number[]) => {
    const answers = await getOrderStatusesByKey(ctx, { key, orders: { texts: ids.map(String) } });
    if (!('members' in answers)) throw new Error('plain ids answer as members');
    return answers.members;
  };
  const stats = (ctx: AppContext) => ({ ...ctx.apiReads.statusAnswers.stats });
  /** Polls on a node that kept nothing: what the database says now. */
  const truth = async (key: string, ids: readonly number[]) => {
    const storage = db().openAnother();
    try {
      return await poll(createAppContext(storage, db().clock, undefined, TEST_PROVIDER_NETWORK), key, ids);
    } finally {
      await storage.close();
    }
  };
  const setStatus = (orderId: number, status: OrderStatus, remains: number) =>
    sql`update orders set status = ${status}, remains = ${remains}, start_count = 7 where id = ${orderId}`.execute(
      db().ctx.db,
    );
  const ordersOf = async (count: number) => {
    const setup = await twoCustomersWithOrders(db(), 'https://www.instagram.com/p/KeptAnswers/');
    const ids: number[] = [];
    for (let i = 1; i <= count; i += 1) ids.push(await setup.place(setup.owner.id, 100 * i));
    return { ...setup, ids };
  };
  const stampOf = async (accountId: number) => {
    const { rows } = await sql<{ stamp: number }>`select stamp from order_status_stamps
      where account_id = ${accountId}`.execute(db().ctx.db);
    return rows[0]?.stamp;
  };

  it('answers a batch polled again from memory, the same bytes, while none of its orders changed', async () => {
    const { owner, ids } = await ordersOf(5);
    const first = await poll(other, owner.apiKey, ids);
    const before = stats(other);
    expect(await poll(other, owner.apiKey, ids)).toBe(first);
    expect(stats(other)).toEqual({ hits: before.hits + 1, misses: before.misses });
    expect(first).toBe(await truth(owner.apiKey, ids));
  });

  it('sees a change made on another node at the very next poll, then keeps the new answer', async () => {
    const { owner, ids } = await ordersOf(4);
    const first = await poll(other, owner.apiKey, ids);
    await poll(other, owner.apiKey, ids);
    await setStatus(ids[2] as number, 'In progress', 250);
    const after = await poll(other, owner.apiKey, ids);
    expect(after).not.toBe(first);
    expect(after).toContain(
      `"${ids[2]}":{"charge":"1.0500","start_count":"7","status":"In progress","remains":"250"`,
    );
    expect(after).toBe(await truth(owner.apiKey, ids));
    const before = stats(other);
    expect(await poll(other, owner.apiKey, ids)).toBe(after);
    expect(stats(other).hits).toBe(before.hits + 1);
  });

  it('keeps its answer through a change rolled back, and sees the one committed after it', async () => {
    const { owner, ids } = await ordersOf(3);
    const first = await poll(other, owner.apiKey, ids);
    await expect(
      db()
        .ctx.db.transaction()
        .execute(async (trx) => {
          await sql`update orders set status = 'Completed', remains = 0 where id = ${ids[0] ?? 0}`.execute(
            trx,
          );
          throw new Error('rolled back');
        }),
    ).rejects.toThrow('rolled back');
    expect(await poll(other, owner.apiKey, ids)).toBe(first);
    await setStatus(ids[0] as number, 'Completed', 0);
    expect(await poll(other, owner.apiKey, ids)).toContain(
      `"${ids[0]}":{"charge":"0.3500","start_count":"7","status":"Completed"`,
    );
  });

  it('sees every change of a transaction that changed several of the orders', async () => {
    const { owner, ids } = await ordersOf(3);
    await poll(other, owner.apiKey, ids);
    await db()
      .ctx.db.transaction()
      .execute(async (trx) => {
        for (const id of ids) {
          await sql`update orders set status = 'In progress', start_count = 3 where id = ${id}`.execute(trx);
        }
      });
    const after = await poll(other, owner.apiKey, ids);
    expect(after.match(/"status":"In progress"/g)).toHaveLength(3);
    expect(after).toBe(await truth(owner.apiKey, ids));
  });

  it('words the answer again when the profile changes', async () => {
    const { owner, ids } = await ordersOf(2);
    await setStatus(ids[1] as number, 'Error', 200);
    expect(await poll(other, owner.apiKey, ids)).toContain('"status":"Error"');
    await poll(other, owner.apiKey, ids);
    await setApiProfile(db().ctx, { accountId: owner.id, profile: 'perfectpanel', actor: 'test' });
    const reworded = await poll(other, owner.apiKey, ids);
    expect(reworded).not.toContain('"status":"Error"');
    expect(reworded).toContain(`"${ids[1]}":{"charge":"0.7000","start_count":"7","status":"Canceled"`);
  });

  it('refuses a regenerated key and a suspended account, whatever it kept', async () => {
    const { owner, ids } = await ordersOf(2);
    await poll(other, owner.apiKey, ids);
    await poll(other, owner.apiKey, ids);
    await setAccountStatus(db().ctx, { accountId: owner.id, status: 'suspended', actor: 'test' });
    await expect(poll(other, owner.apiKey, ids)).rejects.toMatchObject({ code: 'account_suspended' });
    await setAccountStatus(db().ctx, { accountId: owner.id, status: 'active', actor: 'test' });
    await poll(other, owner.apiKey, ids);
    await regenerateApiKey(db().ctx, { accountId: owner.id });
    await expect(poll(other, owner.apiKey, ids)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('never keeps an answer with an id it did not find, which a new order could become', async () => {
    const { owner, other: stranger, ids, place } = await ordersOf(2);
    const foreign = await place(stranger.id, 100);
    const asked = [...ids, foreign, 999_999_999];
    const first = await poll(other, owner.apiKey, asked);
    expect(first).toContain(`"${foreign}":null`);
    const before = stats(other);
    expect(await poll(other, owner.apiKey, asked)).toBe(first);
    expect(stats(other)).toEqual({ hits: before.hits, misses: before.misses + 1 });
  });

  it('moves the stamp for what changes an answer, and only for that', async () => {
    const { owner, other: stranger, ids } = await ordersOf(2);
    const id = ids[0] as number;
    const start = await stampOf(owner.id);
    // The worker's leases and schedule change no answer: a busy queue must not empty the cache.
    await sql`update orders set lease_owner = 'w', lease_until = 1, next_run_at = 5 where id = ${id}`.execute(
      db().ctx.db,
    );
    await releaseLeases(db().ctx.db, 'w', [id]);
    expect(await stampOf(owner.id)).toBe(start);
    const moved = async (change: () => Promise<unknown>) => {
      const before = await stampOf(owner.id);
      await change();
      const after = await stampOf(owner.id);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    };
    await moved(() => sql`update orders set remains = 42 where id = ${id}`.execute(db().ctx.db));
    await moved(() => sql`update orders set refunded_units = 100 where id = ${id}`.execute(db().ctx.db));
    await moved(() => sql`update orders set quantity = 101 where id = ${id}`.execute(db().ctx.db));
    const strangerBefore = await stampOf(stranger.id);
    await moved(() =>
      sql`update orders set account_id = ${stranger.id} where id = ${id}`.execute(db().ctx.db),
    );
    expect(await stampOf(stranger.id)).not.toBe(strangerBefore);
  });

  it('ends on what the database holds when polls race the changes', async () => {
    const { owner, ids } = await ordersOf(6);
    const polls = (async () => {
      for (let round = 0; round < 60; round += 1) {
        await Promise.all([poll(other, owner.apiKey, ids), poll(db().ctx, owner.apiKey, ids)]);
      }
    })();
    for (let step = 1; step <= 30; step += 1) {
      const id = ids[step % ids.length] as number;
      await setStatus(id, step % 2 === 0 ? 'In progress' : 'Partial', step);
    }
    await polls;
    const now = await truth(owner.apiKey, ids);
    expect(await poll(other, owner.apiKey, ids)).toBe(now);
    expect(await poll(db().ctx, owner.apiKey, ids)).toBe(now);
  });
});
