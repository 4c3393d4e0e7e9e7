import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { createAppContext } from '../src/app/context.js';
import { importProviderServices } from '../src/app/import-provider-services.js';
import { setProviderSettings } from '../src/app/set-provider-settings.js';
import { syncProvider } from '../src/app/sync-provider.js';
import { listAudit } from '../src/storage/audit-repository.js';
import { findProviderByName } from '../src/storage/providers-repository.js';
import type { ProviderRow } from '../src/storage/schema.js';
import { findService } from '../src/storage/services-repository.js';
import { describeEachDatabase, TEST_PROVIDER_NETWORK } from './support/databases.js';
import { testSettings, testWorker } from './support/engine.js';
import { FakeProvider } from './support/fake-provider.js';

const KEY = 'sync-secret-key-0123456789abcdef';

const catalog = () => [
  { service: 21, name: 'Likes', category: 'Instagram Likes', rate: '1.0000', min: 10, max: 10000 },
  { service: 22, name: 'Followers', category: 'Instagram Followers', rate: '2', min: 50, max: 5000 },
  { service: 23, name: 'Reel views', category: 'Reels', rate: '0.5', min: 100, max: 100000 },
];

/** A loopback port nothing listens on: taken from the system, then given back. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}/api/v2`;
}

describeEachDatabase('provider sync', (db) => {
  const upstream = new FakeProvider(KEY);
  const ids = new Map<string, number>();
  const terms = {
    markup: '30',
    marginFloor: '10',
    onLowMargin: 'pause' as const,
    eurRate: '1',
    lowBalance: '',
  };

  beforeAll(async () => {
    await upstream.start();
    upstream.services = catalog();
    await addProvider(db().ctx, { name: 'up', url: upstream.url, apiKey: KEY, actor: 't' });
    const imported = await importProviderServices(db().ctx, {
      provider: 'up',
      markup: '30',
      timeoutMs: 2000,
      actor: 't',
    });
    for (const id of imported.created) {
      const service = await findService(db().ctx.db, id);
      ids.set(service?.upstream_service_id ?? '', id);
    }
  });
  afterAll(() => upstream.stop());

  const provider = async (name = 'up') => (await findProviderByName(db().ctx.db, name)) as ProviderRow;
  const sync = async (name = 'up', owner = 'w1') =>
    syncProvider(db().ctx, { provider: await provider(name), owner, leaseMs: 60_000, timeoutMs: 2000 });
  const service = async (upstreamId: string) => findService(db().ctx.db, ids.get(upstreamId) ?? 0);
  const auditActions = async () =>
    (await listAudit(db().ctx.db, { limit: 50, offset: 0 })).map((a) => a.action);

  it('records the catalog and changes nothing while the margins hold', async () => {
    const outcome = await sync();
    expect(outcome).toEqual({ status: 'synced', provider: 'up', changes: [], isBalanceLow: false });
    expect(await service('21')).toMatchObject({ is_active: 1, rate_units: 13_000, upstream_rate: '1.0000' });
  });

  it('pauses a service whose upstream rise leaves less than the floor, and audits it', async () => {
    // 1.30 over 1.20: 7.7% of margin, under the 10% floor. 2.60 over 2.20: 15%, kept.
    upstream.services = catalog().map((s) =>
      s.service === 21 ? { ...s, rate: '1.20' } : s.service === 22 ? { ...s, rate: '2.20' } : s,
    );
    db().clock.advance(1000);
    const outcome = await sync();
    expect(outcome.status === 'synced' && outcome.changes).toEqual([
      { kind: 'rate_changed', serviceId: ids.get('21'), upstreamRate: '1.20', previousRate: '1.0000' },
      { kind: 'paused_margin', serviceId: ids.get('21'), upstreamRate: '1.20', marginBasisPoints: 769 },
      { kind: 'rate_changed', serviceId: ids.get('22'), upstreamRate: '2.20', previousRate: '2' },
    ]);
    expect(await service('21')).toMatchObject({ is_active: 0, rate_units: 13_000 });
    expect(await service('22')).toMatchObject({ is_active: 1, rate_units: 26_000 });
    expect(await auditActions()).toContain('service.sync_pause');
    const stored = await provider();
    expect(JSON.parse(stored.last_sync_changes_json ?? '[]')).toHaveLength(3);
  });

  it('reprices to keep the floor when the operator chose so', async () => {
    await setProviderSettings(db().ctx, {
      provider: 'up',
      settings: { ...terms, onLowMargin: 'reprice' },
      actor: 't',
    });
    // 2.60 over 2.50 is 3.8%; the floor of 10% needs 2.50 / 0.9 = 2.7778 (rounded up).
    upstream.services = catalog().map((s) =>
      s.service === 22 ? { ...s, rate: '2.50' } : s.service === 21 ? { ...s, rate: '1.20' } : s,
    );
    const outcome = await sync();
    expect(outcome.status === 'synced' && outcome.changes).toContainEqual({
      kind: 'repriced',
      serviceId: ids.get('22'),
      upstreamRate: '2.50',
      rateUnitsBefore: 26_000,
      rateUnitsAfter: 27_778,
    });
    expect(await service('22')).toMatchObject({ is_active: 1, rate_units: 27_778 });
    expect(await auditActions()).toContain('service.sync_reprice');
  });

  it('pauses a service gone upstream and flags a low balance', async () => {
    await setProviderSettings(db().ctx, {
      provider: 'up',
      settings: { ...terms, lowBalance: '200' },
      actor: 't',
    });
    upstream.services = catalog().filter((s) => s.service !== 23);
    const outcome = await sync();
    expect(outcome).toMatchObject({ status: 'synced', isBalanceLow: true });
    expect(outcome.status === 'synced' && outcome.changes).toContainEqual({
      kind: 'gone',
      serviceId: ids.get('23'),
    });
    expect(await service('23')).toMatchObject({ is_active: 0, is_gone_upstream: 1 });
    expect(await provider()).toMatchObject({
      is_balance_low: 1,
      balance_text: '123.4567',
      balance_currency: 'EUR',
    });
    const actions = await auditActions();
    expect(actions).toContain('service.sync_gone');
    expect(actions).toContain('provider.balance_low');
  });

  it('changes nothing at a provider it cannot reach, and says so', async () => {
    await addProvider(db().ctx, { name: 'gone', url: await closedPortUrl(), apiKey: KEY, actor: 't' });
    const before = await db().ctx.db.selectFrom('services').selectAll().orderBy('id').execute();
    const outcome = await sync('gone');
    expect(outcome).toEqual({ status: 'unreachable', provider: 'gone', reason: 'unreachable' });
    expect(await provider('gone')).toMatchObject({
      last_sync_failure: 'unreachable',
      last_sync_changes_json: null,
    });
    expect(await db().ctx.db.selectFrom('services').selectAll().orderBy('id').execute()).toEqual(before);
    // An answer that is not API v2 at the catalog's provider changes none of its services either.
    upstream.override = (action) => (action === 'services' ? { status: 502, body: '<html>' } : undefined);
    try {
      expect(await sync()).toEqual({ status: 'unreachable', provider: 'up', reason: 'not_api_v2' });
    } finally {
      upstream.override = undefined;
    }
    expect(await db().ctx.db.selectFrom('services').selectAll().orderBy('id').execute()).toEqual(before);
  });

  describe('two workers', () => {
    it('never sync the same provider at once', async () => {
      // Each worker on its own connection pool, as two processes would be; the catalog answer
      // is slow, so both find the provider due while the first is still at it.
      const second = createAppContext(db().openAnother(), db().clock, undefined, TEST_PROVIDER_NETWORK);
      upstream.override = (action) =>
        action === 'services' ? { body: JSON.stringify(catalog()), delayMs: 300 } : undefined;
      const settings = testSettings({ providerSyncIntervalMs: 60_000 });
      db().clock.advance(3_600_000);
      const callsBefore = upstream.calls.filter((c) => c.action === 'services').length;
      try {
        const workers = [testWorker(db().ctx, settings), testWorker(second, settings)];
        await Promise.all(workers.map((worker) => worker.syncProvidersIfDue()));
      } finally {
        upstream.override = undefined;
      }
      // 'up' is asked once; 'gone' refuses connections and sends nothing to this fake.
      expect(upstream.calls.filter((c) => c.action === 'services').length - callsBefore).toBe(1);
      expect((await provider()).sync_lease_owner).toBeNull();
    });

    it('leaves a provider alone while another worker holds its lease', async () => {
      const held = await provider();
      upstream.override = (action) =>
        action === 'services' ? { body: JSON.stringify(catalog()), delayMs: 300 } : undefined;
      const first = syncProvider(db().ctx, { provider: held, owner: 'a', leaseMs: 60_000, timeoutMs: 2000 });
      const second = syncProvider(db().ctx, { provider: held, owner: 'b', leaseMs: 60_000, timeoutMs: 2000 });
      const outcomes = (
        await Promise.all([first, second]).finally(() => {
          upstream.override = undefined;
        })
      )
        .map((o) => o.status)
        .sort();
      expect(outcomes).toEqual(['busy', 'synced']);
    });
  });
});
