import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideStart } from '../src/domain/order-lifecycle.js';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import {
  balanceOf,
  deliver,
  expectLedgerOk,
  ledgerEntriesOf,
  snapshot,
  stepOrder,
  storedOrder,
} from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';

const POST = 'https://www.instagram.com/p/XXXXX/';
const DAY_MS = 24 * 60 * 60 * 1000;

/** contract §6 to §9: add, status, cancel and refunds, over real HTTP. */
describeEachDatabase('api v2 contract: orders', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 1017);
    await createTestService(db(), { name: 'Inactive', isActive: false }, 3);
    await createTestService(db(), { name: 'No cancel', category: 'Saves', canCancel: false }, 4);
    await createTestService(
      db(),
      {
        name: 'Comments',
        category: 'Comments',
        type: 'Custom Comments',
        minQuantity: 2,
        maxQuantity: 10,
        rateUnits: 100_000,
      },
      11,
    );
  });
  afterAll(() => stop());

  async function customer(balanceUnits = 10_000_000) {
    const created = await createCustomer(db(), balanceUnits);
    const call = (params: Record<string, unknown>, init?: Parameters<typeof callApi>[2]) =>
      callApi(baseUrl, { key: created.apiKey, ...params }, init);
    const add = async (params: Record<string, unknown> = {}) => {
      const response = await call({ action: 'add', service: 1017, link: POST, quantity: 100, ...params });
      expect(response.body).toEqual({ order: expect.any(Number) });
      return (response.body as { order: number }).order;
    };
    return { ...created, call, add };
  }

  describe('§6 add', () => {
    it('checks service, then link, then quantity, then balance', async () => {
      const poor = await customer(10);
      const before = await snapshot(db());
      const cases: [Record<string, unknown>, string][] = [
        [{ service: 999, link: 'bad', quantity: 1 }, 'Invalid service'],
        [{ service: 3, link: 'bad', quantity: 1 }, 'Invalid service'],
        [{ link: 'bad', quantity: 1 }, 'Invalid service'],
        [
          { service: 1017, link: 'bad', quantity: 1 },
          'This service requires a post URL (e.g. instagram.com/p/...)',
        ],
        [{ service: 1017, quantity: 1 }, 'This service requires a post URL (e.g. instagram.com/p/...)'],
        [{ service: 1017, link: POST, quantity: 1 }, 'Quantity out of range (min 25, max 5000)'],
        [{ service: 1017, link: POST }, 'Quantity out of range (min 25, max 5000)'],
        [{ service: 1017, link: POST, quantity: 24 }, 'Quantity out of range (min 25, max 5000)'],
        [{ service: 1017, link: POST, quantity: 5001 }, 'Quantity out of range (min 25, max 5000)'],
        [{ service: 1017, link: POST, quantity: 0 }, 'Quantity out of range (min 25, max 5000)'],
        [
          { service: 1017, link: POST, quantity: 100 },
          'Insufficient balance. Required: €0.3500, Available: €0.0010',
        ],
        [{ service: 11, link: POST, comments: 'one' }, 'Quantity out of range (min 2, max 10)'],
      ];
      for (const [params, error] of cases) {
        const response = await poor.call({ action: 'add', ...params });
        expect(response.status, JSON.stringify(params)).toBe(200);
        expect(response.body, JSON.stringify(params)).toEqual({ error });
      }
      expect(await snapshot(db())).toEqual(before);
    });

    it('accepts the bounds of the range and charges rate × quantity / 1000 half up', async () => {
      const rich = await customer(1_000_000);
      const low = await rich.add({ quantity: 25 });
      const high = await rich.add({ quantity: '5000' });
      expect(Number((await storedOrder(db(), low)).charge_units)).toBe(875); // 3.5 × 25 / 1000
      expect(Number((await storedOrder(db(), high)).charge_units)).toBe(175_000);
      expect(await balanceOf(db(), rich.id)).toBe(1_000_000 - 875 - 175_000);
      const oddRate = await createTestService(db(), { name: 'Odd', category: 'Odd', rateUnits: 12_345 });
      const odd = await rich.add({ service: oddRate.id, quantity: 37 }); // 456.765 → 457
      expect(Number((await storedOrder(db(), odd)).charge_units)).toBe(457);
      const half = await rich.add({ service: oddRate.id, quantity: 100 }); // 1234.5 → 1235
      expect(Number((await storedOrder(db(), half)).charge_units)).toBe(1235);
      await expectLedgerOk(db());
    });

    it('Custom Comments: one comment per line, the quantity is their count', async () => {
      const user = await customer();
      const orderId = await user.add({
        service: 11,
        quantity: undefined,
        comments: 'great!\r\n\r\nlove it\n\n  \nwow\n',
      });
      const order = await storedOrder(db(), orderId);
      expect(Number(order.quantity)).toBe(3);
      expect(order.comments?.split('\n')).toEqual(['great!', 'love it', 'wow']);
      expect(Number(order.charge_units)).toBe(300); // 10.0000 × 3 / 1000
      const matching = await user.add({ service: 11, comments: 'a\nb\nc', quantity: '3' });
      expect(Number((await storedOrder(db(), matching)).quantity)).toBe(3);
      const before = await snapshot(db());
      const mismatch = await user.call({
        action: 'add',
        service: 11,
        link: POST,
        comments: 'a\nb\nc',
        quantity: 4,
      });
      expect(mismatch.body).toEqual({ error: 'Quantity must equal the number of comments (3)' });
      const tooMany = await user.call({
        action: 'add',
        service: 11,
        link: POST,
        comments: Array.from({ length: 11 }, (_, i) => `c${i}`).join('\n'),
      });
      expect(tooMany.body).toEqual({ error: 'Quantity out of range (min 2, max 10)' });
      const none = await user.call({ action: 'add', service: 11, link: POST, quantity: 3 });
      expect(none.body).toEqual({ error: 'Quantity out of range (min 2, max 10)' });
      expect(await snapshot(db())).toEqual(before);
    });

    describe('Idempotency-Key', () => {
      it('answers a retry with the first order and creates nothing more', async () => {
        const user = await customer(100_000);
        const headers = { 'idempotency-key': 'retry-1' };
        const first = await user.call(
          { action: 'add', service: 1017, link: POST, quantity: 100 },
          { headers },
        );
        const before = await snapshot(db());
        const second = await user.call(
          { action: 'add', service: 1017, link: POST, quantity: 100 },
          { headers },
        );
        expect(first.body).toEqual({ order: expect.any(Number) });
        expect(second.body).toEqual(first.body);
        expect(await snapshot(db())).toEqual(before);
        expect(await balanceOf(db(), user.id)).toBe(100_000 - 3_500);
        const orderId = (first.body as { order: number }).order;
        expect((await ledgerEntriesOf(db(), orderId)).map((e) => e.kind)).toEqual(['charge']);
        // another account may use the same key for its own order
        const other = await customer(100_000);
        const theirs = await other.call(
          { action: 'add', service: 1017, link: POST, quantity: 100 },
          { headers },
        );
        expect(theirs.body).toEqual({ order: expect.any(Number) });
        expect(theirs.body).not.toEqual(first.body);
      });

      it('refuses the same key with other parameters', async () => {
        const user = await customer(100_000);
        const headers = { 'idempotency-key': 'retry-2' };
        await user.call({ action: 'add', service: 1017, link: POST, quantity: 100 }, { headers });
        const before = await snapshot(db());
        for (const params of [
          { quantity: 101 },
          { link: 'https://www.instagram.com/p/YYYYY/' },
          { service: 4 },
        ]) {
          const response = await user.call(
            { action: 'add', service: 1017, link: POST, quantity: 100, ...params },
            { headers },
          );
          expect(response.body).toEqual({ error: 'Idempotency key reused with different parameters' });
        }
        expect(await snapshot(db())).toEqual(before);
      });

      it('creates a new order once 24 hours have passed', async () => {
        const user = await customer(100_000);
        const headers = { 'idempotency-key': 'retry-3' };
        const params = { action: 'add', service: 1017, link: POST, quantity: 100 };
        const first = await user.call(params, { headers });
        db().clock.advance(DAY_MS - 1);
        expect((await user.call(params, { headers })).body).toEqual(first.body);
        db().clock.advance(1);
        const later = await user.call(params, { headers });
        expect(later.body).toEqual({ order: expect.any(Number) });
        expect(later.body).not.toEqual(first.body);
        expect(await balanceOf(db(), user.id)).toBe(100_000 - 7_000);
        expect((await user.call(params, { headers })).body).toEqual(later.body);
        await expectLedgerOk(db());
      });
    });
  });

  describe('§7 status', () => {
    it('reports the charge net of refunds, start_count and remains as strings', async () => {
      const user = await customer();
      const orderId = await user.add({ quantity: 100 });
      expect((await user.call({ action: 'status', order: orderId })).text).toBe(
        '{"charge":"0.3500","start_count":"0","status":"Pending","remains":"100","currency":"EUR"}',
      );
      await deliver(db(), orderId, 20, 777);
      await user.call({ action: 'cancel', order: orderId });
      // 20% delivered: refund 0.3500 × 80/100 × 0.5 = 0.1400
      expect((await user.call({ action: 'status', order: String(orderId) })).body).toEqual({
        charge: '0.2100',
        start_count: '777',
        status: 'Partial',
        remains: '80',
        currency: 'EUR',
      });
    });

    it('batch: spaces tolerated, duplicates collapsed, unknown and foreign ids not found', async () => {
      const user = await customer();
      const stranger = await customer();
      const a = await user.add();
      const b = await user.add();
      const foreign = await stranger.add();
      const response = await user.call({
        action: 'status',
        orders: ` ${a} , ${b},${a},${foreign}, 99999999 `,
      });
      const pending = {
        charge: '0.3500',
        start_count: '0',
        status: 'Pending',
        remains: '100',
        currency: 'EUR',
      };
      expect(response.body).toEqual({
        [a]: pending,
        [b]: pending,
        [foreign]: { error: 'Order not found' },
        '99999999': { error: 'Order not found' },
      });
      expect(Object.keys(response.body as object)).toHaveLength(4);
    });

    it('takes at most 100 ids', async () => {
      const user = await customer();
      const a = await user.add();
      const hundred = [a, ...Array.from({ length: 99 }, (_, i) => 1_000_000 + i)].join(',');
      const ok = (await user.call({ action: 'status', orders: hundred })).body as Record<string, unknown>;
      expect(Object.keys(ok)).toHaveLength(100);
      const tooMany = `${hundred},2000000`;
      expect((await user.call({ action: 'status', orders: tooMany })).body).toEqual({
        error: 'Too many orders (maximum 100)',
      });
      // duplicates are collapsed before counting
      expect(
        Object.keys((await user.call({ action: 'status', orders: `${hundred},${a}` })).body as object),
      ).toHaveLength(100);
    });

    it('prefers orders over order', async () => {
      const user = await customer();
      const a = await user.add();
      const b = await user.add();
      const response = await user.call({ action: 'status', order: a, orders: String(b) });
      expect(Object.keys(response.body as object)).toEqual([String(b)]);
    });

    it('single: unknown, malformed and foreign ids all get "Incorrect order ID"', async () => {
      const user = await customer();
      const stranger = await customer();
      const foreign = await stranger.add();
      for (const order of [foreign, 99999999, 'abc', '', undefined]) {
        const response = await user.call({ action: 'status', ...(order === undefined ? {} : { order }) });
        expect(response.status).toBe(200);
        expect(response.body, String(order)).toEqual({ error: 'Incorrect order ID' });
      }
    });

    it('uses the six status words exactly', async () => {
      const user = await customer();
      const words = new Set<string>();
      const status = async (id: number) =>
        words.add(((await user.call({ action: 'status', order: id })).body as { status: string }).status);
      const pending = await user.add();
      await status(pending);
      const running = await user.add();
      await deliver(db(), running, 10);
      await status(running);
      const done = await user.add();
      await deliver(db(), done, 100);
      await status(done);
      const partial = await user.add();
      await deliver(db(), partial, 60);
      await user.call({ action: 'cancel', order: partial });
      await status(partial);
      const canceled = await user.add();
      await user.call({ action: 'cancel', order: canceled });
      await status(canceled);
      const failed = await user.add();
      const { decideInternalError } = await import('../src/domain/order-lifecycle.js');
      await stepOrder(db(), failed, decideInternalError);
      await status(failed);
      expect([...words]).toEqual(['Pending', 'In progress', 'Completed', 'Partial', 'Canceled', 'Error']);
      await expectLedgerOk(db());
    });
  });

  describe('§8 cancel', () => {
    it('answers each id with 1 or the reason, keyed by id', async () => {
      const user = await customer();
      const stranger = await customer();
      const pending = await user.add();
      const running = await user.add();
      await stepOrder(db(), running, decideStart, 5);
      const done = await user.add();
      await deliver(db(), done, 100);
      const noCancel = await user.add({ service: 4 });
      const foreign = await stranger.add();
      const response = await user.call({
        action: 'cancel',
        orders: `${pending},${running},${done},${noCancel},${foreign},424242,abc`,
      });
      expect(response.body).toEqual({
        [pending]: 1,
        [running]: 1,
        [done]: 'Cannot cancel: status is completed',
        [noCancel]: 'Cannot cancel: this service does not support cancellation',
        [foreign]: 'Incorrect order ID',
        '424242': 'Incorrect order ID',
        abc: 'Incorrect order ID',
      });
      expect((await user.call({ action: 'cancel', order: pending })).body).toEqual({
        [pending]: 'Cannot cancel: status is canceled',
      });
      expect((await user.call({ action: 'cancel', order: foreign })).body).toEqual({
        [foreign]: 'Incorrect order ID',
      });
      expect((await stranger.call({ action: 'status', order: foreign })).body).toMatchObject({
        status: 'Pending',
      });
      const partial = await user.add();
      await deliver(db(), partial, 70);
      await user.call({ action: 'cancel', order: partial });
      expect((await user.call({ action: 'cancel', order: partial })).body).toEqual({
        [partial]: 'Cannot cancel: status is partial',
      });
    });

    it('takes at most 100 ids', async () => {
      const user = await customer();
      const before = await snapshot(db());
      const ids = Array.from({ length: 101 }, (_, i) => 5_000_000 + i).join(',');
      expect((await user.call({ action: 'cancel', orders: ids })).body).toEqual({
        error: 'Too many orders (maximum 100)',
      });
      expect(await snapshot(db())).toEqual(before);
    });
  });

  describe('§9 refunds on cancel', () => {
    // rate 3.5000, quantity 1000: charge 3.5000 (35 000 units)
    it.each([
      [0, 35_000, 'Canceled'],
      [1, 17_483, 'Partial'], // 35 000 × 999 / 2000 = 17 482.5 → 17 483
      [10, 17_325, 'Partial'],
      [499, 8_768, 'Partial'], // 8 767.5 → 8 768
      [500, 0, 'Partial'],
      [999, 0, 'Partial'],
    ])('delivered %i of 1000: refund %i units, %s', async (delivered, refundUnits, status) => {
      const user = await customer(35_000);
      const orderId = await user.add({ quantity: 1000 });
      if (delivered > 0) await deliver(db(), orderId, delivered);
      else await stepOrder(db(), orderId, decideStart, 1);
      expect((await user.call({ action: 'cancel', order: orderId })).body).toEqual({ [orderId]: 1 });
      expect(await balanceOf(db(), user.id)).toBe(refundUnits);
      const refunds = (await ledgerEntriesOf(db(), orderId)).filter((entry) => entry.kind === 'refund');
      expect(refunds.map((entry) => Number(entry.amount_units))).toEqual(
        refundUnits > 0 ? [refundUnits] : [],
      );
      const order = await storedOrder(db(), orderId);
      expect(order.status).toBe(status);
      expect(Number(order.refunded_units)).toBe(refundUnits);
      expect(Number(order.remains)).toBe(1000 - delivered);
      await expectLedgerOk(db());
    });
  });
});
