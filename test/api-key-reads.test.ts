import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { hashApiKey } from '../src/app/api-key-secrets.js';
import { getKeyBalance } from '../src/app/get-key-balance.js';
import { getOrderStatusesByKey } from '../src/app/get-order-statuses.js';
import { placeOrder } from '../src/app/place-order.js';
import { createCustomer, createTestService, twoCustomersWithOrders } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';
import { answersByText } from './support/status-answers.js';

describeEachDatabase('API reads that check the key in their own statement', (db) => {
  it('never answers a balance a transaction has not committed, and reads the committed one', async () => {
    const customer = await createCustomer(db(), 10_000);
    let read: Promise<{ balanceUnits: number }> | undefined;
    await db()
      .ctx.db.transaction()
      .execute(async (trx) => {
        await sql`update accounts set balance_units = 777 where id = ${customer.id}`.execute(trx);
        // SQLite: the same connection, inside the transaction (group commit interleaves like this).
        read = getKeyBalance(db().ctx, { key: customer.apiKey });
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      })
      .catch(() => {});
    expect((await read)?.balanceUnits).toBe(10_000);
    await sql`update accounts set balance_units = 4321 where id = ${customer.id}`.execute(db().ctx.db);
    expect((await getKeyBalance(db().ctx, { key: customer.apiKey })).balanceUnits).toBe(4321);
  });

  it('reads the balances of several keys asked in the same turn, each its own', async () => {
    const customers = await Promise.all([1, 2, 3].map((i) => createCustomer(db(), i * 10_000)));
    const keys = [...customers, ...customers].map((customer) => customer.apiKey);
    const read = await Promise.all(keys.map((key) => getKeyBalance(db().ctx, { key })));
    expect(read.map((one) => one.balanceUnits)).toEqual([10_000, 20_000, 30_000, 10_000, 20_000, 30_000]);
    expect(read.map((one) => one.caller.accountId)).toEqual([...customers, ...customers].map((c) => c.id));
    await expect(getKeyBalance(db().ctx, { key: 'insp_unknown' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('answers statuses only for the key account, and refuses a key revoked or suspended', async () => {
    const customer = await createCustomer(db(), 0);
    const read = await getOrderStatusesByKey(db().ctx, {
      key: customer.apiKey,
      orders: { texts: ['1', 'x', '99999999'] },
    });
    expect(read.caller.accountId).toBe(customer.id);
    expect([...answersByText(read).values()]).toEqual([undefined, undefined, undefined]);
    await sql`update accounts set status = 'suspended' where id = ${customer.id}`.execute(db().ctx.db);
    await expect(
      getOrderStatusesByKey(db().ctx, { key: customer.apiKey, orders: { texts: ['1'] } }),
    ).rejects.toMatchObject({ code: 'account_suspended' });
    await sql`update api_keys set revoked_at = 1 where key_hash = ${hashApiKey(customer.apiKey)}`.execute(
      db().ctx.db,
    );
    await expect(
      getOrderStatusesByKey(db().ctx, { key: customer.apiKey, orders: { texts: [] } }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('reads each requested order of the key account with its figures, inside a transaction too', async () => {
    const { owner, other, place } = await twoCustomersWithOrders(db());
    const first = await place(owner.id, 100);
    const second = await place(owner.id, 200);
    const foreign = await place(other.id, 300);
    await sql`update orders set refunded_units = 1000, start_count = 42, remains = 150, status = 'Partial'
      where id = ${second}`.execute(db().ctx.db);
    const orderIds = [`00${first}`, String(second), String(foreign), 'x'];
    // contract §7: the charge net of refunds, every figure a text; byte for byte, key order included.
    const expected = [
      '{"charge":"0.3500","start_count":"0","status":"Pending","remains":"100","currency":"EUR"}',
      '{"charge":"0.6000","start_count":"42","status":"Partial","remains":"150","currency":"EUR"}',
      undefined,
      undefined,
    ];
    const read = await getOrderStatusesByKey(db().ctx, { key: owner.apiKey, orders: { texts: orderIds } });
    expect([...answersByText(read).keys()]).toEqual(orderIds);
    expect([...answersByText(read).values()]).toEqual(expected);
    // SQLite: a read while group commit holds a transaction open goes through the query builder
    // and waits for the commit; either way nothing uncommitted is read.
    let inTransaction: Promise<Awaited<typeof read>> | undefined;
    await db()
      .ctx.db.transaction()
      .execute(async (trx) => {
        await sql`update orders set remains = 1 where id = ${second}`.execute(trx);
        inTransaction = getOrderStatusesByKey(db().ctx, { key: owner.apiKey, orders: { texts: orderIds } });
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      })
      .catch(() => {});
    const late = await inTransaction;
    expect([...(late ? answersByText(late).values() : [])]).toEqual(expected);
  });

  it('reads the statuses asked for in the same turn, each with its own key and ids', async () => {
    const service = await createTestService(db());
    const customers = await Promise.all([1, 2, 3].map(() => createCustomer(db(), 1_000_000)));
    const ordersOf = await Promise.all(
      customers.map(async (customer, index) => {
        const ids: string[] = [];
        for (let i = 0; i <= index; i += 1) {
          const placed = await placeOrder(db().ctx, {
            accountId: customer.id,
            serviceId: service.id,
            link: 'https://www.instagram.com/p/ReadsTest/',
            quantity: 100 * (index + 1),
            comments: undefined,
          });
          ids.push(String(placed.orderId));
        }
        return ids;
      }),
    );
    const [first, second, third] = customers.map((customer) => customer.apiKey);
    const [firstIds = [], secondIds = [], thirdIds = []] = ordersOf;
    await sql`update api_keys set revoked_at = 1 where key_hash = ${hashApiKey(third ?? '')}`.execute(
      db().ctx.db,
    );
    const asked = [
      { key: first, orders: { texts: [...firstIds, ...secondIds] } },
      { key: second, orders: { texts: [...secondIds, ...firstIds] } },
      { key: third, orders: { texts: thirdIds } },
      { key: 'insp_unknown', orders: { texts: firstIds } },
      { key: second, orders: { texts: [] } },
      { key: first, orders: { texts: firstIds } },
    ];
    const read = await Promise.allSettled(asked.map((one) => getOrderStatusesByKey(db().ctx, one)));
    const found = read.map((one) =>
      one.status === 'fulfilled'
        ? [...answersByText(one.value)].map(([id, answer]) => [id, answer && JSON.parse(answer).remains])
        : (one.reason as { code: string }).code,
    );
    const [a = '', b = '', c = ''] = [...firstIds, ...secondIds];
    // Answered in ascending id order, however asked (the customers' orders were placed at once).
    const ascending = (rows: [string, string | undefined][]) =>
      rows.sort(([x], [y]) => Number(x) - Number(y));
    expect(found).toEqual([
      ascending([
        [a, '100'],
        [b, undefined],
        [c, undefined],
      ]),
      ascending([
        [b, '200'],
        [c, '200'],
        [a, undefined],
      ]),
      'unauthorized',
      'unauthorized',
      [],
      [[a, '100']],
    ]);
    const callers = read.map((one) => (one.status === 'fulfilled' ? one.value.caller.accountId : undefined));
    expect(callers).toEqual([
      customers[0]?.id,
      customers[1]?.id,
      undefined,
      undefined,
      customers[1]?.id,
      customers[0]?.id,
    ]);
  });

  it('reads the services asked for in the same turn, each its own, and a changed one afresh', async () => {
    const likes = await createTestService(db(), { name: 'Likes read' });
    const views = await createTestService(db(), { name: 'Views read', rateUnits: 1234 });
    const ids = [likes.id, views.id, likes.id, 999_999];
    const read = await Promise.all(ids.map((id) => db().ctx.apiReads.serviceById(id)));
    expect(read.map((service) => service?.name)).toEqual([
      'Likes read',
      'Views read',
      'Likes read',
      undefined,
    ]);
    expect(read[1]?.rate_units).toBe(1234);
    await sql`update services set rate_units = 4321 where id = ${views.id}`.execute(db().ctx.db);
    expect((await db().ctx.apiReads.serviceById(views.id))?.rate_units).toBe(4321);
  });
});
