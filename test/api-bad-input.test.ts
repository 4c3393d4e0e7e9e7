import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { expectLedgerOk, snapshot, storedOrder } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';

const POST = 'https://www.instagram.com/p/XXXXX/';

/** contract §1: none of these is an integer. Raw JSON text, so numbers stay as sent. */
const NOT_INTEGERS: [string, string][] = [
  ['"1e3"', 'exponent'],
  ['1e3', 'exponent number'],
  ['1E2', 'capital exponent number'],
  ['100.0', 'decimal zero number'],
  ['-0', 'negative zero'],
  ['"1.5"', 'decimal text'],
  ['1.5', 'decimal number'],
  ['"-1"', 'negative text'],
  ['-1', 'negative number'],
  ['"+10"', 'plus sign'],
  ['"0x10"', 'hex'],
  ['" 10"', 'leading space'],
  ['"10 "', 'trailing space'],
  ['"10abc"', 'trailing letters'],
  ['"10.0"', 'decimal zero'],
  ['"１０"', 'non-ASCII digits'],
  ['[100]', 'array'],
  ['["100"]', 'text array'],
  ['{"value":100}', 'object'],
  ['""', 'empty string'],
  ['null', 'null'],
  ['true', 'boolean'],
  ['"99999999999999999999"', 'huge text'],
  ['99999999999999999999', 'huge number'],
  ['"9007199254740993"', 'just over 2^53 text'],
];

describeEachDatabase('api v2 bad input', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  let key = '';
  let strangerKey = '';
  let orderId = 0;
  let foreignOrderId = 0;

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 10);
    await createTestService(db(), { name: 'Saves', category: 'Saves' }, 100);
    const customer = await createCustomer(db(), 1_000_000);
    key = customer.apiKey;
    const stranger = await createCustomer(db(), 1_000_000);
    strangerKey = stranger.apiKey;
    const add = (apiKey: string) =>
      callApi(baseUrl, { key: apiKey, action: 'add', service: 10, link: POST, quantity: 100 });
    orderId = ((await add(key)).body as { order: number }).order;
    foreignOrderId = ((await add(strangerKey)).body as { order: number }).order;
  });
  afterAll(() => stop());

  /** Sends raw JSON so that `1.5` and `99999999999999999999` reach the server exactly as written. */
  async function rawCall(fields: Record<string, string>) {
    const json = `{${Object.entries(fields)
      .map(([name, value]) => `${JSON.stringify(name)}:${value}`)
      .join(',')}}`;
    return callApi(baseUrl, {}, { rawBody: json, headers: { 'content-type': 'application/json' } });
  }

  async function expectRefused(fields: Record<string, string>, expected: unknown) {
    const before = await snapshot(db());
    const response = await rawCall({ key: JSON.stringify(key), ...fields });
    expect(response.status, JSON.stringify(fields)).toBe(200);
    expect(response.body, JSON.stringify(fields)).toEqual(expected);
    expect(await snapshot(db())).toEqual(before);
  }

  const addFields = { action: '"add"', service: '10', link: JSON.stringify(POST), quantity: '100' };

  describe('add: service', () => {
    it.each(NOT_INTEGERS)('service %s (%s) is an invalid service', async (value) => {
      await expectRefused({ ...addFields, service: value }, { error: 'Invalid service' });
    });
  });

  describe('add: quantity', () => {
    it.each(NOT_INTEGERS)('quantity %s (%s) is out of range', async (value) => {
      await expectRefused(
        { ...addFields, quantity: value },
        { error: 'Quantity out of range (min 25, max 5000)' },
      );
    });

    it('a quantity in a form body is checked the same way', async () => {
      for (const quantity of ['1e3', '1.5', '-1', '+10', '0x10', ' 10', '10abc', '']) {
        const before = await snapshot(db());
        const body = new URLSearchParams({ key, action: 'add', service: '10', link: POST, quantity });
        const response = await callApi(
          baseUrl,
          {},
          {
            rawBody: body.toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          },
        );
        expect(response.body, quantity).toEqual({ error: 'Quantity out of range (min 25, max 5000)' });
        expect(await snapshot(db())).toEqual(before);
      }
      const repeated = await callApi(
        baseUrl,
        {},
        {
          query: 'quantity=100&quantity=200',
          rawBody: new URLSearchParams({ key, action: 'add', service: '10', link: POST }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      expect(repeated.body).toEqual({ error: 'Quantity out of range (min 25, max 5000)' });
    });
  });

  /** The malformed spellings of a real order id of the caller: none may reach that order. */
  function malformedIds(id: number): string[] {
    return [
      JSON.stringify(` ${id}`),
      JSON.stringify(`${id} `),
      JSON.stringify(`+${id}`),
      JSON.stringify(`${id}abc`),
      JSON.stringify(`${id}.0`),
      JSON.stringify(`${id}e0`),
      JSON.stringify(`0x${id.toString(16)}`),
      JSON.stringify(`-${id}`),
      `${id}.5`,
      `-${id}`,
      '0',
      '"0"',
      '"99999999999999999999"',
      '99999999999999999999',
    ];
  }

  describe('status and cancel: malformed, unknown and foreign order ids', () => {
    it('status of a malformed single id: Incorrect order ID', async () => {
      for (const value of [...malformedIds(orderId), '[1]', '{"id":1}', '""', 'null', 'true']) {
        await expectRefused({ action: '"status"', order: value }, { error: 'Incorrect order ID' });
      }
    });

    it('cancel of a malformed single id: Incorrect order ID, the order untouched', async () => {
      for (const value of malformedIds(orderId)) {
        const parsed = JSON.parse(value) as string | number;
        await expectRefused({ action: '"cancel"', order: value }, { [String(parsed)]: 'Incorrect order ID' });
      }
      for (const value of ['[1]', `[${orderId}]`, '{"id":1}', '""', 'null', 'true']) {
        await expectRefused({ action: '"cancel"', order: value }, { error: 'Incorrect order ID' });
      }
      await expectRefused({ action: '"cancel"' }, { error: 'Incorrect order ID' });
      expect((await storedOrder(db(), orderId)).status).toBe('Pending');
    });

    it('unknown and foreign ids, single and batch', async () => {
      const unknown = foreignOrderId + 1000;
      for (const id of [unknown, foreignOrderId]) {
        await expectRefused({ action: '"status"', order: String(id) }, { error: 'Incorrect order ID' });
        await expectRefused(
          { action: '"status"', orders: `"${id}"` },
          { [id]: { error: 'Order not found' } },
        );
        await expectRefused({ action: '"cancel"', order: String(id) }, { [id]: 'Incorrect order ID' });
        await expectRefused({ action: '"cancel"', orders: `"${id}"` }, { [id]: 'Incorrect order ID' });
      }
      expect((await storedOrder(db(), foreignOrderId)).status).toBe('Pending');
    });

    it('batch: each malformed id is not found, the real ones answered', async () => {
      const batch = [`+${orderId}`, `${orderId}abc`, '0x10', '1e3', '-1', '1.5', '99999999999999999999'];
      await expectRefused(
        { action: '"status"', orders: JSON.stringify(batch.join(',')) },
        Object.fromEntries(batch.map((id) => [id, { error: 'Order not found' }])),
      );
      await expectRefused(
        { action: '"cancel"', orders: JSON.stringify(batch.join(',')) },
        Object.fromEntries(batch.map((id) => [id, 'Incorrect order ID'])),
      );
    });
  });

  describe('actions and bodies', () => {
    it('an unknown action, in every shape', async () => {
      for (const action of [
        '"nope"',
        '"ADD"',
        '" add"',
        '["add"]',
        '{"a":1}',
        '1',
        '""',
        'null',
        '"hasOwnProperty"',
      ]) {
        await expectRefused({ action }, { error: 'Invalid action' });
      }
    });

    it('a __proto__ field pollutes nothing', async () => {
      await expectRefused({ __proto__: '{"action":"balance"}' }, { error: 'Invalid action' });
      await expectRefused(
        { ...addFields, __proto__: '{"quantity":100}', quantity: '"x"' },
        {
          error: 'Quantity out of range (min 25, max 5000)',
        },
      );
    });

    it('a JSON body that is not an object carries no parameters', async () => {
      for (const body of ['[]', `["${key}"]`, '"balance"', '42', 'null']) {
        const response = await callApi(
          baseUrl,
          {},
          { rawBody: body, headers: { 'content-type': 'application/json' } },
        );
        expect(response.status, body).toBe(401);
        expect(response.body).toEqual({ error: 'Unauthorized' });
      }
      const withQueryKey = await callApi(
        baseUrl,
        {},
        {
          query: `key=${encodeURIComponent(key)}&action=balance`,
          rawBody: '[1,2]',
          headers: { 'content-type': 'application/json' },
        },
      );
      expect(withQueryKey.body).toEqual({ balance: expect.any(String), currency: 'EUR' });
    });

    it('never answers 500, and the ledger stays consistent', async () => {
      await expectLedgerOk(db());
    });
  });
});
