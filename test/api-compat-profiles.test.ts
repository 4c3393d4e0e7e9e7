import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApiProfile } from '../src/app/set-api-profile.js';
import type { ApiProfile } from '../src/domain/api-profile.js';
import { decideInternalError } from '../src/domain/order-lifecycle.js';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { deliver, expectLedgerOk, stepOrder } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';

/**
 * contract §13: each profile's exact answers for every action, over real HTTP. The texts are
 * compared whole, so key order and ids as spelled (`__proto__`, `constructor`) are checked too.
 */
const POST_LINK = 'https://www.instagram.com/p/XXXXX/';
const UNKNOWN = 999_999_999;

/** What differs by profile; every other answer must be the same text in both. */
const EXPECTED: Record<ApiProfile, (ids: Record<string, number>) => Record<string, string>> = {
  inspiria: ({ pending, other, completed }) => ({
    errorNothingDelivered: '"status":"Error","remains":"100"',
    errorHalfDelivered: '"status":"Error","remains":"70"',
    unknownInBatch: '{"error":"Order not found"}',
    cancelSingle: `{"${pending}":1}`,
    cancelBatch: `{"${completed}":"Cannot cancel: status is completed","${other}":1,"__proto__":"Incorrect order ID","${UNKNOWN}":"Incorrect order ID","constructor":"Incorrect order ID"}`,
    cancelProto: '{"__proto__":"Incorrect order ID"}',
  }),
  perfectpanel: ({ pending, other, completed }) => ({
    errorNothingDelivered: '"status":"Canceled","remains":"100"',
    errorHalfDelivered: '"status":"Partial","remains":"70"',
    unknownInBatch: '{"error":"Incorrect order ID"}',
    cancelSingle: `[{"order":${pending},"cancel":1}]`,
    cancelBatch: `[{"order":${completed},"cancel":{"error":"Cannot cancel: status is completed"}},{"order":${other},"cancel":1},{"order":"__proto__","cancel":{"error":"Incorrect order ID"}},{"order":${UNKNOWN},"cancel":{"error":"Incorrect order ID"}},{"order":"constructor","cancel":{"error":"Incorrect order ID"}}]`,
    cancelProto: '[{"order":"__proto__","cancel":{"error":"Incorrect order ID"}}]',
  }),
};

describeEachDatabase('api v2 §13: compatibility profiles', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  const shared: Partial<Record<ApiProfile, Record<string, string>>> = {};

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 1017);
  });
  afterAll(() => stop());

  describe.each(['inspiria', 'perfectpanel'] as const)('%s', (profile) => {
    it('answers every action exactly as the profile says', async () => {
      const customer = await createCustomer(db(), 10_000_000);
      await setApiProfile(db().ctx, { accountId: customer.id, profile, actor: 'test' });
      const call = async (params: Record<string, unknown>) => {
        const response = await callApi(baseUrl, { key: customer.apiKey, ...params });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
        return response.text;
      };
      const add = async () =>
        (
          JSON.parse(await call({ action: 'add', service: 1017, link: POST_LINK, quantity: 100 })) as {
            order: number;
          }
        ).order;
      const ids = {
        pending: await add(),
        other: await add(),
        completed: await add(),
        errorNothing: await add(),
        errorHalf: await add(),
      };
      await deliver(db(), ids.completed, 100);
      await stepOrder(db(), ids.errorNothing, decideInternalError);
      await deliver(db(), ids.errorHalf, 30);
      await stepOrder(db(), ids.errorHalf, decideInternalError);
      const expected = EXPECTED[profile](ids);

      // An order that ended Error, as the profile reports it; the charge is net of the refund.
      expect(await call({ action: 'status', order: ids.errorNothing })).toBe(
        `{"charge":"0.0000","start_count":"0",${expected.errorNothingDelivered},"currency":"EUR"}`,
      );
      expect(await call({ action: 'status', order: ids.errorHalf })).toBe(
        `{"charge":"0.1050","start_count":"1042",${expected.errorHalfDelivered},"currency":"EUR"}`,
      );
      expect(
        await call({ action: 'status', orders: `${ids.errorHalf},${UNKNOWN},__proto__,${ids.errorNothing}` }),
      ).toBe(
        `{"${ids.errorHalf}":{"charge":"0.1050","start_count":"1042",${expected.errorHalfDelivered},"currency":"EUR"},` +
          `"${UNKNOWN}":${expected.unknownInBatch},"__proto__":${expected.unknownInBatch},` +
          `"${ids.errorNothing}":{"charge":"0.0000","start_count":"0",${expected.errorNothingDelivered},"currency":"EUR"}}`,
      );
      // A single unknown id is the same in both (§7).
      expect(await call({ action: 'status', order: '__proto__' })).toBe('{"error":"Incorrect order ID"}');
      expect(await call({ action: 'status', order: UNKNOWN })).toBe('{"error":"Incorrect order ID"}');

      expect(await call({ action: 'cancel', order: ids.pending })).toBe(expected.cancelSingle);
      expect(await call({ action: 'cancel', order: '__proto__' })).toBe(expected.cancelProto);
      expect(
        await call({
          action: 'cancel',
          orders: `${ids.completed}, ${ids.other},__proto__,${UNKNOWN},constructor`,
        }),
      ).toBe(expected.cancelBatch);
      expect(await call({ action: 'status', order: ids.pending })).toBe(
        '{"charge":"0.0000","start_count":"0","status":"Canceled","remains":"100","currency":"EUR"}',
      );

      // Everything else is identical in both profiles: compared across them below.
      shared[profile] = {
        services: await call({ action: 'services' }),
        balance: await call({ action: 'balance' }),
        completed: await call({ action: 'status', order: ids.completed }),
        refill: await call({ action: 'refill', order: ids.completed }),
        invalid: await call({ action: 'add', service: 1017, link: POST_LINK, quantity: 1 }),
        tooMany: await call({
          action: 'cancel',
          orders: Array.from({ length: 101 }, (_, i) => i + 1).join(','),
        }),
      };
      await expectLedgerOk(db());
    });
  });

  it('answers everything else identically in both profiles', () => {
    expect(shared.perfectpanel).toBeDefined();
    expect(shared.perfectpanel).toEqual(shared.inspiria);
    expect(shared.inspiria?.completed).toBe(
      '{"charge":"0.3500","start_count":"1042","status":"Completed","remains":"0","currency":"EUR"}',
    );
    expect(shared.inspiria?.services).toContain(
      '"description":"Link type: post_url","currency":"EUR","desc":"Link type: post_url"}',
    );
  });

  it('keys toString, constructor and hasOwnProperty as ordinary ids', async () => {
    const customer = await createCustomer(db(), 0);
    const response = await callApi(baseUrl, {
      key: customer.apiKey,
      action: 'status',
      orders: 'toString,constructor,hasOwnProperty,__proto__,1e3,-1,0x10',
    });
    expect(response.text).toBe(
      '{"toString":{"error":"Order not found"},"constructor":{"error":"Order not found"},' +
        '"hasOwnProperty":{"error":"Order not found"},"__proto__":{"error":"Order not found"},' +
        '"1e3":{"error":"Order not found"},"-1":{"error":"Order not found"},"0x10":{"error":"Order not found"}}',
    );
  });
});
