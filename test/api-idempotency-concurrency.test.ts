import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ApiResponse,
  callApi,
  createCustomer,
  createTestService,
  startApiServer,
  startSecondNode,
} from './support/api-server.js';
import { balanceOf, expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';

const POST = 'https://www.instagram.com/p/XXXXX/';
/** 100 likes at 35.0000 EUR per 1000. */
const CHARGE_UNITS = 3_500;
const ORDER = { action: 'add', service: 1017, link: POST, quantity: 100 };
const REUSED = { error: 'Idempotency key reused with different parameters' };

async function chargesOf(db: TestDatabase, accountId: number) {
  const rows = await db.ctx.db
    .selectFrom('ledger_entries')
    .select(['order_id', 'amount_units'])
    .where('account_id', '=', accountId)
    .where('kind', '=', 'charge')
    .execute();
  return rows.map((row) => ({ orderId: Number(row.order_id), amountUnits: Number(row.amount_units) }));
}

async function orderIdsOf(db: TestDatabase, accountId: number): Promise<number[]> {
  const rows = await db.ctx.db
    .selectFrom('orders')
    .select('id')
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** The answers grouped by their idempotency key, in the order the requests were sent. */
function bodiesByKey(keys: string[], responses: ApiResponse[]): Map<string, unknown[]> {
  const byKey = new Map<string, unknown[]>();
  responses.forEach((response, i) => {
    expect(response.status).toBe(200);
    const key = keys[i] as string;
    byKey.set(key, [...(byKey.get(key) ?? []), response.body]);
  });
  return byKey;
}

describeEachDatabase('Idempotency-Key under concurrency (contract §6)', (db) => {
  let nodes: string[] = [];
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const first = await startApiServer(db());
    stops.push(() => first.app.close());
    await createTestService(db(), {}, 1017);
    const second = await startSecondNode(db());
    stops.push(second.stop);
    nodes = [first.baseUrl, second.baseUrl];
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  const send = (i: number, apiKey: string, idempotencyKey: string, params: Record<string, unknown> = {}) =>
    callApi(
      nodes[i % nodes.length] as string,
      { key: apiKey, ...ORDER, ...params },
      { headers: { 'idempotency-key': idempotencyKey } },
    );

  it('20 simultaneous duplicates with one order of balance all get that order, charged once', async () => {
    const customer = await createCustomer(db(), CHARGE_UNITS);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(i, customer.apiKey, 'low-balance')),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const first = responses[0]?.body;
    expect(first).toEqual({ order: expect.any(Number) });
    expect(responses.map((r) => r.body)).toEqual(Array(20).fill(first));
    const orderId = (first as { order: number }).order;
    expect(await orderIdsOf(db(), customer.id)).toEqual([orderId]);
    expect(await chargesOf(db(), customer.id)).toEqual([{ orderId, amountUnits: -CHARGE_UNITS }]);
    expect(await balanceOf(db(), customer.id)).toBe(0);
    // A retry after the balance is gone still gets the first answer, not a refusal.
    expect((await send(0, customer.apiKey, 'low-balance')).body).toEqual(first);
    await expectLedgerOk(db());
  });

  it('duplicates of a key in flight get its order while other keys drain the balance', async () => {
    const customer = await createCustomer(db(), 2 * CHARGE_UNITS);
    const keys = Array.from({ length: 30 }, (_, i) => `drain-${i % 3}`);
    const responses = await Promise.all(keys.map((key, i) => send(i, customer.apiKey, key)));
    const byKey = bodiesByKey(keys, responses);
    const placed: number[] = [];
    const refused: string[] = [];
    for (const [key, bodies] of byKey) {
      // Every request of one key gets one answer: its first request's order, or (the balance
      // gone before it was evaluated) the same refusal, evaluated afresh each time.
      expect(bodies).toEqual(Array(10).fill(bodies[0]));
      const body = bodies[0] as { order?: number; error?: string };
      if (body.order !== undefined) placed.push(body.order);
      else refused.push(`${key}: ${body.error}`);
    }
    expect(placed).toHaveLength(2);
    expect(refused).toEqual([expect.stringMatching(/^drain-\d: Insufficient balance\. Required: €0\.3500,/)]);
    expect(await orderIdsOf(db(), customer.id)).toEqual([...placed].sort((a, b) => a - b));
    expect((await chargesOf(db(), customer.id)).map((c) => c.amountUnits)).toEqual([
      -CHARGE_UNITS,
      -CHARGE_UNITS,
    ]);
    expect(await balanceOf(db(), customer.id)).toBe(0);
    await expectLedgerOk(db());
  });

  it('a key reused with other parameters while its first request is in flight is refused as reused', async () => {
    const customer = await createCustomer(db(), CHARGE_UNITS);
    const links = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? POST : 'https://www.instagram.com/p/YYYYY/',
    );
    const responses = await Promise.all(links.map((link, i) => send(i, customer.apiKey, 'reused', { link })));
    const byLink = [...bodiesByKey(links, responses).values()];
    // Either link may claim the key first; its duplicates get its order, and the other link
    // gets the reuse refusal even though no balance is left for it (not a balance refusal).
    const winner = byLink.find((bodies) => 'order' in (bodies[0] as object)) ?? [];
    const loser = byLink.find((bodies) => bodies !== winner);
    expect(winner[0]).toEqual({ order: expect.any(Number) });
    expect(winner).toEqual(Array(10).fill(winner[0]));
    expect(loser).toEqual(Array(10).fill(REUSED));
    const orderId = (winner[0] as { order: number }).order;
    expect(await orderIdsOf(db(), customer.id)).toEqual([orderId]);
    expect(await chargesOf(db(), customer.id)).toEqual([{ orderId, amountUnits: -CHARGE_UNITS }]);
    await expectLedgerOk(db());
  });
});
