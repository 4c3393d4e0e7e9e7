import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { patchOrder } from '../src/app/apply-delivery-report.js';
import { cancelOrder } from '../src/app/cancel-orders.js';
import { getProviderBalance } from '../src/app/get-provider-balance.js';
import { importProviderServices } from '../src/app/import-provider-services.js';
import { listProviders } from '../src/app/list-providers.js';
import type { EngineLogger } from '../src/engine/logger.js';
import { findService } from '../src/storage/services-repository.js';
import { createCustomer } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder, readOrder, testSettings, testWorker } from './support/engine.js';
import { FakeProvider, type ScriptedReply } from './support/fake-provider.js';

const UPSTREAM_KEY = 'up-secret-key-0123456789abcdef';
const POLL_MS = 10_000;

const UPSTREAM_SERVICES = [
  {
    service: 11,
    name: 'IG Likes HQ',
    type: 'Default',
    category: 'Instagram Likes',
    rate: '1.0000',
    min: '10',
    max: '10000',
    cancel: true,
    description: 'Link type: post_url',
  },
  {
    service: 12,
    name: 'IG Followers',
    type: 'Default',
    category: 'Instagram Followers',
    rate: '0.33335',
    min: 50,
    max: 5000,
  },
  { service: 13, name: 'IG Reel Views', type: 'Default', category: 'Reels', rate: 2, min: 100, max: 100000 },
  { service: 14, name: 'Weird', type: 'Package', category: 'X', rate: '1', min: 1, max: 1 },
  { service: 'abc', name: 'Broken', category: 'X', rate: '1', min: 1, max: 1 },
];

/** Records every log line as text, to prove the upstream key never appears in one. */
function recordingLogger(lines: string[]): EngineLogger {
  const record = (details: object, message: string) => lines.push(`${message} ${JSON.stringify(details)}`);
  return { info: record, warn: record, error: record };
}

describeEachDatabase('engine upstream backend', (db) => {
  const provider = new FakeProvider(UPSTREAM_KEY);
  const logLines: string[] = [];
  let accountId = 0;
  let likesServiceId = 0;

  beforeAll(async () => {
    await provider.start();
    provider.services = UPSTREAM_SERVICES;
    accountId = (await createCustomer(db(), 100_000_000)).id;
  });
  afterAll(() => provider.stop());

  const worker = () => testWorker(db().ctx, testSettings(), recordingLogger(logLines));
  const place = (quantity = 1000, link = 'https://www.instagram.com/p/Upstream001/') =>
    placeTestOrder(db().ctx, { accountId, serviceId: likesServiceId, link, quantity });
  /** One worker round after the poll interval. */
  const pollRound = async () => {
    db().clock.advance(POLL_MS);
    await worker().runOnce();
  };

  describe('providers', () => {
    it('registers a provider and shows only a prefix of its key', async () => {
      const view = await addProvider(db().ctx, {
        name: 'up1',
        url: provider.url,
        apiKey: UPSTREAM_KEY,
        actor: 't',
      });
      expect(view).toEqual({ name: 'up1', url: provider.url, key: 'up-s…', backend: 'upstream:up1' });
      expect(JSON.stringify(await listProviders(db().ctx))).not.toContain(UPSTREAM_KEY);
      await expect(
        addProvider(db().ctx, { name: 'up1', url: provider.url, apiKey: UPSTREAM_KEY, actor: 't' }),
      ).rejects.toThrow('provider_exists');
      await expect(
        addProvider(db().ctx, { name: 'bad', url: 'ftp://x', apiKey: UPSTREAM_KEY, actor: 't' }),
      ).rejects.toThrow('provider_url_invalid');
    });

    it('reads the balance at the provider', async () => {
      expect(await getProviderBalance(db().ctx, { name: 'up1', timeoutMs: 2000 })).toEqual({
        name: 'up1',
        balance: '123.4567',
        currency: 'EUR',
      });
    });

    it('imports services with the markup, link types, and updates on re-import', async () => {
      const first = await importProviderServices(db().ctx, {
        provider: 'up1',
        markup: '30',
        timeoutMs: 2000,
        actor: 't',
      });
      expect(first.created).toHaveLength(3);
      expect(first.skipped.map((skip) => skip.upstreamService)).toEqual(['14', 'abc']);
      const [likes, followers, reels] = await Promise.all(
        first.created.map((id) => findService(db().ctx.db, id)),
      );
      likesServiceId = likes?.id ?? 0;
      // 1.0000 × 1.3 = 1.3000; 0.33335 × 1.3 = 0.433355 → 0.4334 (half up); 2 × 1.3 = 2.6000.
      expect(likes).toMatchObject({
        rate_units: 13_000,
        link_type: 'post_url',
        backend: 'upstream:up1',
        upstream_service_id: '11',
        min_quantity: 10,
        max_quantity: 10_000,
        can_cancel: 1,
      });
      expect(followers).toMatchObject({ rate_units: 4_334, link_type: 'username', can_cancel: 0 });
      expect(reels).toMatchObject({ rate_units: 26_000, link_type: 'reel_url' });

      provider.services = [{ ...UPSTREAM_SERVICES[0], rate: '2.0000', min: 1 }];
      const again = await importProviderServices(db().ctx, {
        provider: 'up1',
        markup: '30',
        timeoutMs: 2000,
        actor: 't',
      });
      expect(again).toMatchObject({ created: [], updated: [likesServiceId] });
      // Our limits stay; the rate follows the provider.
      expect(await findService(db().ctx.db, likesServiceId)).toMatchObject({
        rate_units: 26_000,
        min_quantity: 10,
      });
      provider.services = UPSTREAM_SERVICES;
      await importProviderServices(db().ctx, { provider: 'up1', markup: '30', timeoutMs: 2000, actor: 't' });
    });
  });

  describe('orders', () => {
    it('forwards add with an Idempotency-Key, then follows the upstream status to Completed', async () => {
      const orderId = await place();
      await worker().runOnce();
      const upstream = provider.orderFor(orderId);
      expect(upstream).toMatchObject({
        service: '11',
        quantity: 1000,
        link: 'https://www.instagram.com/p/Upstream001/',
      });
      expect(await readOrder(db().ctx, orderId)).toMatchObject({
        status: 'Pending',
        upstream_order_id: String(upstream?.id),
        upstream_state: 'placed',
      });
      if (!upstream) return;
      upstream.entry = { status: 'Processing', remains: '600', start_count: '1234', charge: '1' };
      await pollRound();
      expect(await readOrder(db().ctx, orderId)).toMatchObject({
        status: 'In progress',
        remains: 600,
        start_count: 1234,
      });
      upstream.entry = { status: 'In progress', remains: 250, start_count: 1234 };
      await pollRound();
      expect((await readOrder(db().ctx, orderId)).remains).toBe(250);
      upstream.entry = { status: 'Completed', remains: '0', start_count: '1234' };
      await pollRound();
      expect(await readOrder(db().ctx, orderId)).toMatchObject({
        status: 'Completed',
        remains: 0,
        refunded_units: 0,
        upstream_state: 'closed',
      });
      expect(
        provider.callsOf('add').filter((call) => call.params.link?.includes('Upstream001')),
      ).toHaveLength(1);
      await expectLedgerOk(db().ctx);
    });

    it('takes a start_count the provider reports only after the start', async () => {
      const orderId = await place();
      await worker().runOnce();
      const upstream = provider.orderFor(orderId);
      if (!upstream) throw new Error('not forwarded');
      upstream.entry = { status: 'In progress', remains: '900', start_count: '0' };
      await pollRound();
      expect(await readOrder(db().ctx, orderId)).toMatchObject({ status: 'In progress', start_count: 0 });
      upstream.entry = { status: 'In progress', remains: '800', start_count: '4321' };
      await pollRound();
      expect(await readOrder(db().ctx, orderId)).toMatchObject({ remains: 800, start_count: 4321 });
      upstream.entry = { status: 'In progress', remains: '700', start_count: '9999' };
      await pollRound();
      expect(await readOrder(db().ctx, orderId)).toMatchObject({ remains: 700, start_count: 4321 });
    });

    it('maps Partial (50% of the undelivered part), Cancelled and Refunded (Error, all of it)', async () => {
      const cases = [
        { entry: { status: 'Partial', remains: '400' }, status: 'Partial', refund: 2_600 }, // 13000 × 400/1000 / 2
        { entry: { status: 'Cancelled', remains: '400' }, status: 'Error', refund: 5_200 },
        { entry: { status: 'Refunded', remains: 1000 }, status: 'Error', refund: 13_000 },
        { entry: { status: 'Canceled' }, status: 'Error', refund: 13_000 },
      ];
      const orderIds: number[] = [];
      for (const _ of cases) orderIds.push(await place());
      await worker().runOnce();
      cases.forEach((testCase, index) => {
        const upstream = provider.orderFor(orderIds[index] as number);
        if (upstream) upstream.entry = testCase.entry;
      });
      await pollRound();
      for (const [index, testCase] of cases.entries()) {
        expect(await readOrder(db().ctx, orderIds[index] as number)).toMatchObject({
          status: testCase.status,
          refunded_units: testCase.refund,
        });
      }
      await expectLedgerOk(db().ctx);
    });

    it('polls status in batches of at most 100 orders', async () => {
      const orderIds: number[] = [];
      for (let i = 0; i < 150; i++) orderIds.push(await place(10));
      await worker().runOnce();
      const before = provider.callsOf('status').length;
      await pollRound();
      const batches = provider.callsOf('status').slice(before);
      expect(batches.length).toBeGreaterThanOrEqual(2);
      for (const batch of batches) expect(batch.params.orders?.split(',').length).toBeLessThanOrEqual(100);
      for (const id of orderIds) {
        const upstream = provider.orderFor(id);
        if (upstream) upstream.entry = { status: 'Completed', remains: 0 };
      }
      await pollRound();
      for (const id of orderIds) expect((await readOrder(db().ctx, id)).status).toBe('Completed');
    });

    it('forwards a customer cancel upstream, once, then reads its final charge', async () => {
      const orderId = await place();
      await worker().runOnce();
      const upstream = provider.orderFor(orderId);
      expect(await cancelOrder(db().ctx, { accountId, orderId })).toMatchObject({ ok: true });
      await pollRound();
      const cancels = provider
        .callsOf('cancel')
        .filter((call) => call.params.orders === String(upstream?.id));
      expect(cancels).toHaveLength(1);
      expect(await readOrder(db().ctx, orderId)).toMatchObject({
        status: 'Canceled',
        upstream_state: 'cancel_sent',
      });
      if (upstream) upstream.entry = { status: 'Canceled', remains: '1000', start_count: '0', charge: '0' };
      await pollRound();
      expect(await readOrder(db().ctx, orderId)).toMatchObject({
        status: 'Canceled',
        upstream_state: 'closed',
      });
      expect(
        provider.callsOf('cancel').filter((call) => call.params.orders === String(upstream?.id)),
      ).toHaveLength(1);
    });

    it('never orders twice after a crash between the add and its answer: Error with a refund', async () => {
      const orderId = await place();
      await patchOrder(db().ctx, orderId, { upstream_state: 'adding' });
      await worker().runOnce();
      expect(provider.orderFor(orderId)).toBeUndefined();
      expect(await readOrder(db().ctx, orderId)).toMatchObject({ status: 'Error', refunded_units: 13_000 });
      expect(logLines.some((line) => line.includes('may or may not'))).toBe(true);
      await expectLedgerOk(db().ctx);
    });

    it('an ambiguous add reply for an order cancelled meanwhile closes it: no second add, no second refund', async () => {
      const orderId = await place(1000, 'https://www.instagram.com/p/Cancelled01/');
      provider.override = (action) => {
        if (action !== 'add') return undefined;
        // The customer cancels while the add is on its way.
        void cancelOrder(db().ctx, { accountId, orderId });
        return { status: 504, body: 'Gateway Timeout', contentType: 'text/plain', delayMs: 100 };
      };
      await worker().runOnce();
      provider.override = undefined;
      expect(await readOrder(db().ctx, orderId)).toMatchObject({
        status: 'Canceled',
        refunded_units: 13_000,
        upstream_state: 'closed',
      });
      await pollRound();
      expect(
        provider.callsOf('add').filter((call) => call.params.link?.includes('Cancelled01')),
      ).toHaveLength(1);
      await expectLedgerOk(db().ctx);
    });

    it('an ambiguous add reply (HTML) ends Error with a refund, a refusal is retried', async () => {
      provider.override = (action) =>
        action === 'add'
          ? { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' }
          : undefined;
      const ambiguous = await place();
      await worker().runOnce();
      expect(await readOrder(db().ctx, ambiguous)).toMatchObject({ status: 'Error', refunded_units: 13_000 });

      provider.override = (action) =>
        action === 'add' ? { body: '{"error":"Not enough funds on balance"}' } : undefined;
      const refused = await place();
      await worker().runOnce();
      expect(await readOrder(db().ctx, refused)).toMatchObject({
        status: 'Pending',
        upstream_state: null,
        retry_count: 1,
      });
      provider.override = undefined;
      db().clock.advance(1_000);
      await worker().runOnce();
      expect(provider.orderFor(refused)).toBeDefined();
      expect((await readOrder(db().ctx, refused)).upstream_state).toBe('placed');
      await expectLedgerOk(db().ctx);
    });
  });

  describe('hostile status replies move no money, are retried, and end Error after the give-up time', () => {
    const hostile: [string, ScriptedReply | ((id: string) => unknown)][] = [
      ['remains above the quantity', (id) => ({ [id]: { status: 'In progress', remains: '5000' } })],
      ['negative remains', (id) => ({ [id]: { status: 'In progress', remains: '-5' } })],
      ['non-numeric remains', (id) => ({ [id]: { status: 'In progress', remains: 'lots' } })],
      [
        'non-numeric start_count',
        (id) => ({ [id]: { status: 'In progress', remains: '10', start_count: '1e3' } }),
      ],
      ['an unknown status word', (id) => ({ [id]: { status: 'Teleported', remains: '0' } })],
      ['an {"error"} entry', (id) => ({ [id]: { error: 'Incorrect order ID' } })],
      ['an {"error"} reply', { body: '{"error":"Service temporarily unavailable"}' }],
      [
        'an {"error"} reply echoing our key',
        { body: JSON.stringify({ error: `Invalid API key ${UPSTREAM_KEY}` }) },
      ],
      [
        'an unknown word echoing our key',
        (id) => ({ [id]: { status: `key ${UPSTREAM_KEY}`, remains: '0' } }),
      ],
      ['HTML instead of JSON', { body: '<html><body>Cloudflare</body></html>', contentType: 'text/html' }],
      ['an HTTP 500', { status: 500, body: '{"status":"Completed"}' }],
      ['a JSON array', { body: '[]' }],
    ];
    for (const [label, reply] of hostile) {
      it(label, async () => {
        const orderId = await place();
        await worker().runOnce();
        const upstream = provider.orderFor(orderId);
        if (!upstream) throw new Error('not forwarded');
        upstream.entry = { status: 'In progress', remains: '600', start_count: '77' };
        await pollRound();
        const before = await readOrder(db().ctx, orderId);
        expect(before).toMatchObject({ status: 'In progress', remains: 600 });
        const id = String(upstream.id);
        provider.override = (action, params) => {
          if (action !== 'status' || !params.orders?.split(',').includes(id)) return undefined;
          return typeof reply === 'function' ? { body: JSON.stringify(reply(id)) } : reply;
        };
        await pollRound();
        expect(await readOrder(db().ctx, orderId)).toMatchObject({
          status: 'In progress',
          remains: 600,
          refunded_units: 0,
          retry_count: 1,
        });
        for (
          let round = 0;
          round < 30 && (await readOrder(db().ctx, orderId)).status === 'In progress';
          round++
        ) {
          await pollRound();
        }
        provider.override = undefined;
        // 13000 × 600/1000: the whole undelivered part.
        expect(await readOrder(db().ctx, orderId)).toMatchObject({
          status: 'Error',
          remains: 600,
          refunded_units: 7_800,
        });
        await expectLedgerOk(db().ctx);
      });
    }

    it('a timeout', async () => {
      const orderId = await place();
      await worker().runOnce();
      const id = String(provider.orderFor(orderId)?.id);
      provider.override = (action, params) =>
        action === 'status' && params.orders?.split(',').includes(id)
          ? { body: '{}', delayMs: 300 }
          : undefined;
      const impatient = testWorker(
        db().ctx,
        testSettings({ upstream: { timeoutMs: 100, pollMs: POLL_MS, giveUpMs: 60_000, retryBaseMs: 1_000 } }),
        recordingLogger(logLines),
      );
      for (let round = 0; round < 30 && (await readOrder(db().ctx, orderId)).status === 'Pending'; round++) {
        db().clock.advance(POLL_MS);
        await impatient.runOnce();
      }
      provider.override = undefined;
      expect(await readOrder(db().ctx, orderId)).toMatchObject({ status: 'Error', refunded_units: 13_000 });
      expect(logLines.some((line) => line.includes('timed out'))).toBe(true);
    });

    it('logged every failure without the upstream key', () => {
      expect(logLines.length).toBeGreaterThan(10);
      for (const line of logLines) expect(line).not.toContain(UPSTREAM_KEY);
    });
  });
});
