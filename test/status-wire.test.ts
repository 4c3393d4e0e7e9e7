import fc from 'fast-check';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { getOrderStatusByKey, getOrderStatusesByKey } from '../src/app/get-order-statuses.js';
import { placeOrder } from '../src/app/place-order.js';
import type { ApiProfile } from '../src/domain/api-profile.js';
import { formatUnits } from '../src/domain/money.js';
import { ORDER_STATUSES, type OrderStatus } from '../src/domain/order-lifecycle.js';
import { createCustomer, createTestService, twoCustomersWithOrders } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

interface Figures {
  charge: number;
  refunded: number;
  start: number;
  status: OrderStatus;
  remains: number;
  quantity: number;
}

/** contract §7 and §13, written from the page: what `status` must answer, byte for byte. */
function contractAnswer(order: Figures, profile: ApiProfile): string {
  const word =
    profile === 'perfectpanel' && order.status === 'Error'
      ? order.remains >= order.quantity
        ? 'Canceled'
        : 'Partial'
      : order.status;
  return JSON.stringify({
    charge: formatUnits(order.charge - order.refunded),
    start_count: String(order.start),
    status: word,
    remains: String(order.remains),
    currency: 'EUR',
  });
}

const MAX_UNITS = 9_000_000_000_000_000;

const figuresArb: fc.Arbitrary<Figures> = fc
  .record({
    charge: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: MAX_UNITS })),
    refundedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    start: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 1_000_000_000_000 })),
    status: fc.constantFrom(...ORDER_STATUSES),
    quantity: fc.integer({ min: 1, max: 1_000_000_000 }),
    remainsShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ charge, refundedShare, quantity, remainsShare, ...rest }) => ({
    ...rest,
    charge,
    refunded: Math.floor(charge * refundedShare),
    quantity,
    remains: Math.floor(quantity * remainsShare),
  }));

/** The edges a formatter gets wrong: no fraction, a fraction with zeros, all refunded, nothing left. */
const EDGES: Figures[] = [
  { charge: 0, refunded: 0, start: 0, status: 'Pending', remains: 100, quantity: 100 },
  { charge: 10_000, refunded: 0, start: 0, status: 'Completed', remains: 0, quantity: 100 },
  { charge: 10_001, refunded: 1, start: 7, status: 'In progress', remains: 1, quantity: 100 },
  { charge: 123_456_789, refunded: 3_456_000, start: -1, status: 'Partial', remains: 99, quantity: 100 },
  { charge: 5_000, refunded: 5_000, start: 0, status: 'Error', remains: 100, quantity: 100 },
  { charge: 5_000, refunded: 2_500, start: 0, status: 'Error', remains: 50, quantity: 100 },
  { charge: MAX_UNITS, refunded: 9, start: 0, status: 'Canceled', remains: 100, quantity: 100 },
];

describeEachDatabase('the status answer the database keeps for each order (migration 021)', (db) => {
  it('is what the contract words, for every status, figure and profile, after every update', async () => {
    const service = await createTestService(db());
    const customer = await createCustomer(db(), 1_000_000);
    const { orderId } = await placeOrder(db().ctx, {
      accountId: customer.id,
      serviceId: service.id,
      link: 'https://www.instagram.com/p/StatusWire/',
      quantity: 100,
      comments: undefined,
    });
    const answerOf = async (id: string) =>
      (await getOrderStatusByKey(db().ctx, { key: customer.apiKey, orderId: id })).answer;
    // As placed: the insert alone wrote it.
    expect(await answerOf(String(orderId))).toBe(
      contractAnswer(
        { charge: 3_500, refunded: 0, start: 0, status: 'Pending', remains: 100, quantity: 100 },
        'inspiria',
      ),
    );
    const check = async (order: Figures, profile: ApiProfile) => {
      await sql`update accounts set api_profile = ${profile} where id = ${customer.id}`.execute(db().ctx.db);
      await sql`update orders set charge_units = ${order.charge}, refunded_units = ${order.refunded},
          start_count = ${order.start}, status = ${order.status}, remains = ${order.remains},
          quantity = ${order.quantity}
        where id = ${orderId}`.execute(db().ctx.db);
      expect(await answerOf(String(orderId))).toBe(contractAnswer(order, profile));
    };
    for (const order of EDGES) {
      for (const profile of ['inspiria', 'perfectpanel'] as const) await check(order, profile);
    }
    await fc.assert(
      fc.asyncProperty(figuresArb, fc.constantFrom<ApiProfile>('inspiria', 'perfectpanel'), check),
      { numRuns: 60 },
    );
  });

  it('answers a batch in ascending id order however it was asked, each id written otherwise keyed as sent', async () => {
    const {
      owner: customer,
      other,
      place,
    } = await twoCustomersWithOrders(db(), 'https://www.instagram.com/p/StatusWire/');
    const ids: number[] = [];
    let foreign = 0;
    for (let i = 1; i <= 12; i += 1) {
      ids.push(await place(customer.id, 100 * i));
      // Another account's order between the customer's: an id not found in the middle.
      if (i === 6) foreign = await place(other.id, 100);
    }
    await sql`update orders set remains = 150 where id = ${ids[1] ?? 0}`.execute(db().ctx.db);
    const wire = (quantity: number, remains = quantity) =>
      `{"charge":"${formatUnits(35 * quantity)}","start_count":"0","status":"Pending","remains":"${remains}","currency":"EUR"}`;
    const membersOf = async (asked: number[]) =>
      getOrderStatusesByKey(db().ctx, { key: customer.apiKey, orders: { texts: asked.map(String) } });
    // Every id found, shuffled: the answer as the database joined it.
    expect(await membersOf([ids[7], ids[1], ids[11], ids[0]].map(Number))).toMatchObject({
      members: [
        `"${ids[0]}":${wire(100)}`,
        `"${ids[1]}":${wire(200, 150)}`,
        `"${ids[7]}":${wire(800)}`,
        `"${ids[11]}":${wire(1200)}`,
      ].join(','),
    });
    // Shuffled, with a foreign id and one nobody has between them.
    const asked = [ids[7], ids[1], foreign, ids[11], 99_999_999, ids[0], ids[5], ids[6]].map(Number);
    expect(await membersOf(asked)).toMatchObject({
      members: [
        `"${ids[0]}":${wire(100)}`,
        `"${ids[1]}":${wire(200, 150)}`,
        `"${ids[5]}":${wire(600)}`,
        `"${foreign}":null`,
        `"${ids[6]}":${wire(700)}`,
        `"${ids[7]}":${wire(800)}`,
        `"${ids[11]}":${wire(1200)}`,
        '"99999999":null',
      ].join(','),
    });
    expect(await membersOf([foreign, 99_999_999])).toMatchObject({
      members: `"${foreign}":null,"99999999":null`,
    });
    // Written otherwise, each id keys its answer as sent, the same order twice included.
    const written = [`0${ids[4]}`, 'x', String(ids[4]), ` ${ids[0]}`, String(foreign)];
    const otherwise = await getOrderStatusesByKey(db().ctx, {
      key: customer.apiKey,
      orders: { texts: written },
    });
    expect('byText' in otherwise && [...otherwise.byText]).toEqual([
      [`0${ids[4]}`, wire(500)],
      ['x', undefined],
      [String(ids[4]), wire(500)],
      [` ${ids[0]}`, undefined],
      [String(foreign), undefined],
    ]);
    expect(
      await getOrderStatusesByKey(db().ctx, { key: customer.apiKey, orders: { texts: [] } }),
    ).toMatchObject({
      members: '',
    });
  });
});
