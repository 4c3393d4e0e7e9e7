import { afterAll, beforeAll, expect, it } from 'vitest';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { deliver, expectLedgerOk, storedOrder } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const POST = 'https://www.instagram.com/p/XXXXX/';
/** A service whose charge is exactly the quantity in units (rate 0.1000): spend made to measure. */
const SPEND_SERVICE = 77;

/** contract §11: volume discounts in `services` rates and in `add` charges, and when they move. */
describeEachDatabase('api v2 contract §11: volume discount', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  let hourMs = 0;

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 1017);
    await createTestService(db(), { name: 'Cheap', category: 'Likes', rateUnits: 12_345 }, 7);
    await createTestService(
      db(),
      {
        name: 'Spend',
        category: 'Zeta',
        linkType: 'username',
        rateUnits: 1_000,
        minQuantity: 1,
        maxQuantity: 100_000_000,
      },
      SPEND_SERVICE,
    );
    // Start one minute into a fresh hour, so "the same hour" is unambiguous.
    hourMs = (Math.floor(db().clock.now() / HOUR_MS) + 1) * HOUR_MS;
    db().clock.set(hourMs + 60_000);
  });
  afterAll(() => stop());

  async function spender(spendUnits: number) {
    const customer = await createCustomer(db(), spendUnits + 1_000_000);
    const call = (params: Record<string, unknown>) => callApi(baseUrl, { key: customer.apiKey, ...params });
    let spendOrder: number | undefined;
    if (spendUnits > 0) {
      const placed = await call({
        action: 'add',
        service: SPEND_SERVICE,
        link: 'spender',
        quantity: spendUnits,
      });
      expect(placed.body).toEqual({ order: expect.any(Number) });
      spendOrder = (placed.body as { order: number }).order;
      expect(Number((await storedOrder(db(), spendOrder)).charge_units)).toBe(spendUnits);
    }
    const rates = async () => {
      const services = (await call({ action: 'services' })).body as { service: number; rate: string }[];
      return Object.fromEntries(services.map((s) => [s.service, s.rate]));
    };
    const chargeOf100 = async () => {
      const placed = await call({ action: 'add', service: 1017, link: POST, quantity: 100 });
      return Number((await storedOrder(db(), (placed.body as { order: number }).order)).charge_units);
    };
    return { ...customer, call, rates, chargeOf100, spendOrder };
  }

  // [spend in units, tier's 1017 rate, its charge for 100, the cheap service's rate]
  const TIERS: [number, string, number, string][] = [
    [0, '3.5000', 3_500, '1.2345'],
    [499_999, '3.5000', 3_500, '1.2345'], // €49.9999: still Base
    [500_000, '3.1500', 3_150, '1.1111'], // €50.0000: Lite; 1.11105 → 1.1111
    [1_499_999, '3.1500', 3_150, '1.1111'],
    [1_500_000, '2.8000', 2_800, '0.9876'], // Silver
    [2_999_999, '2.8000', 2_800, '0.9876'],
    [3_000_000, '2.4500', 2_450, '0.8642'], // Gold; 0.86415 → 0.8642
    [5_999_999, '2.4500', 2_450, '0.8642'],
    [6_000_000, '2.1000', 2_100, '0.7407'], // Reseller
    [20_000_000, '2.1000', 2_100, '0.7407'],
  ];

  it('applies each tier, at its exact boundary, from the next hour on, in services and in add', async () => {
    const spenders = [];
    for (const [spendUnits] of TIERS) spenders.push(await spender(spendUnits));
    // Same hour: nobody's tier has moved yet, whatever they spent.
    for (const s of spenders) expect((await s.rates())[1017]).toBe('3.5000');
    // An order placed now is charged at the old rate too (by the top spender, whose extra
    // spend cannot move a boundary under test).
    const top = spenders[spenders.length - 1];
    expect(await top?.chargeOf100()).toBe(3_500);
    db().clock.set(hourMs + HOUR_MS - 1);
    for (const s of spenders) expect((await s.rates())[1017]).toBe('3.5000');
    db().clock.set(hourMs + HOUR_MS);
    for (const [index, [spendUnits, rate, charge, cheapRate]] of TIERS.entries()) {
      const s = spenders[index];
      if (!s) throw new Error('missing spender');
      const rates = await s.rates();
      expect(rates[1017], `spend ${spendUnits}`).toBe(rate);
      expect(rates[7], `spend ${spendUnits}`).toBe(cheapRate);
      expect(await s.chargeOf100(), `spend ${spendUnits}`).toBe(charge);
    }
    await expectLedgerOk(db());
  });

  it('counts spend net of refunds, over the last 14 days only', async () => {
    db().clock.set(hourMs + 2 * HOUR_MS + 60_000);
    const start = db().clock.now();
    // €100 spent, 10% delivered, cancelled: refund 50% of the undelivered €90 → €55 net: Lite.
    const partial = await spender(1_000_000);
    await deliver(db(), partial.spendOrder as number, 100_000);
    expect((await partial.call({ action: 'cancel', order: partial.spendOrder })).body).toEqual({
      [String(partial.spendOrder)]: 1,
    });
    // €600 spent and cancelled before delivery: nothing net, Base.
    const refunded = await spender(6_000_000);
    expect((await refunded.call({ action: 'cancel', order: refunded.spendOrder })).body).toEqual({
      [String(refunded.spendOrder)]: 1,
    });
    const nextHour = hourMs + 3 * HOUR_MS;
    db().clock.set(nextHour);
    expect((await partial.rates())[1017]).toBe('3.1500');
    expect((await refunded.rates())[1017]).toBe('3.5000');
    // The spend order falls out of the window 14 days after it was placed, at the top of an hour.
    db().clock.set(start - 60_000 + 14 * DAY_MS + 30 * 60_000);
    expect((await partial.rates())[1017]).toBe('3.1500');
    db().clock.set(start - 60_000 + 14 * DAY_MS + HOUR_MS);
    expect((await partial.rates())[1017]).toBe('3.5000');
    await expectLedgerOk(db());
  });
});
