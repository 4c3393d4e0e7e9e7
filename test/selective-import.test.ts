import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateImportedServices } from '../src/app/activate-imported-services.js';
import { addProvider } from '../src/app/add-provider.js';
import { importChosenServices } from '../src/app/import-chosen-services.js';
import { previewProviderImport } from '../src/app/preview-provider-import.js';
import { compareCatalog, MAX_CATALOG_ENTRIES } from '../src/app/provider-catalog.js';
import { setProviderSettings } from '../src/app/set-provider-settings.js';
import { setServiceActive } from '../src/app/set-service-active.js';
import { DomainError } from '../src/domain/errors.js';
import { listAudit } from '../src/storage/audit-repository.js';
import { listServicesOfProvider } from '../src/storage/providers-repository.js';
import { findService } from '../src/storage/services-repository.js';
import { describeEachDatabase } from './support/databases.js';
import { FakeProvider } from './support/fake-provider.js';

const KEY = 'import-secret-key-0123456789abcdef';
const HOSTILE = '<img src=x onerror=alert(1)>';

const catalog = () => [
  {
    service: 31,
    name: 'Likes',
    category: 'Instagram Likes',
    rate: '1.00',
    min: 10,
    max: 10000,
    refill: true,
  },
  { service: 32, name: 'Followers', category: 'Instagram Followers', rate: '2', min: 50, max: 5000 },
  {
    service: 33,
    name: 'Reel views',
    category: 'Instagram Reels',
    rate: '0.5',
    min: 100,
    max: 100000,
    dripfeed: 1,
  },
  { service: 34, name: HOSTILE, category: 'Odd', rate: 'free', min: 1, max: 10 },
  { service: 35, name: 'Backwards', category: 'Odd', rate: '1', min: 100, max: 10 },
  'not a service',
];

const call = (provider: string, extra: Partial<Parameters<typeof importChosenServices>[1]> = {}) => ({
  provider,
  markup: '30',
  importIds: [] as string[],
  applyIds: [] as string[],
  timeoutMs: 3000,
  actor: 'admin@test',
  ...extra,
});

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'none';
}

describeEachDatabase('selective import of a provider catalog', (db) => {
  const upstream = new FakeProvider(KEY);

  beforeAll(async () => {
    await upstream.start();
    upstream.services = catalog();
    upstream.balance = { balance: '50.00', currency: 'usd' };
    await addProvider(db().ctx, { name: 'sel', url: upstream.url, apiKey: KEY, actor: 't' });
    await setProviderSettings(db().ctx, {
      provider: 'sel',
      settings: { markup: '20', marginFloor: '10', onLowMargin: 'pause', eurRate: '0.9', lowBalance: '' },
      actor: 't',
    });
  });
  afterAll(() => upstream.stop());

  it('previews the live catalog with our rate in EUR at the markup, refusing bad rows, writing nothing', async () => {
    const preview = await previewProviderImport(db().ctx, { provider: 'sel', markup: '30', timeoutMs: 3000 });
    expect(preview.currency).toBe('USD');
    expect(preview.markupBasisPoints).toBe(3000);
    expect(preview.entries.map((e) => [e.upstreamId, e.ourRateUnits, e.importedServiceId])).toEqual([
      ['31', 11_700, null], // 1.00 USD × 0.9 × 1.3
      ['32', 23_400, null],
      ['33', 5_850, null],
    ]);
    expect(preview.entries[0]?.isRefill).toBe(true);
    expect(preview.entries[2]?.isDripfeed).toBe(true);
    expect(preview.refused).toEqual([
      { label: '34', name: HOSTILE, reason: 'rate_invalid' },
      { label: '35', name: 'Backwards', reason: 'range_invalid' },
      { label: '?', name: '', reason: 'not_object' },
    ]);
    const withOwnMarkup = await previewProviderImport(db().ctx, {
      provider: 'sel',
      markup: '',
      timeoutMs: 3000,
    });
    expect(withOwnMarkup.markupBasisPoints).toBe(2000);
    expect(await listServicesOfProvider(db().ctx.db, 'sel')).toEqual([]);
  });

  it('refuses a bad markup before calling the provider, and an unreachable provider changes nothing', async () => {
    const before = upstream.callsOf('services').length;
    expect(
      await refusalOf(previewProviderImport(db().ctx, { provider: 'sel', markup: '-3', timeoutMs: 3000 })),
    ).toBe('markup_invalid');
    expect(
      await refusalOf(importChosenServices(db().ctx, call('sel', { markup: 'abc', importIds: ['31'] }))),
    ).toBe('markup_invalid');
    expect(upstream.callsOf('services').length).toBe(before);
    upstream.override = (action) =>
      action === 'services' ? { status: 502, body: '<html>down</html>' } : undefined;
    try {
      expect(
        await refusalOf(previewProviderImport(db().ctx, { provider: 'sel', markup: '30', timeoutMs: 3000 })),
      ).toBe('provider_call_failed');
      expect(await refusalOf(importChosenServices(db().ctx, call('sel', { importIds: ['31'] })))).toBe(
        'provider_call_failed',
      );
    } finally {
      upstream.override = undefined;
    }
    expect(await listServicesOfProvider(db().ctx.db, 'sel')).toEqual([]);
  });

  it('imports only the ticked services, inactive, with a proposed link type; two confirms at once import once', async () => {
    const confirm = () =>
      importChosenServices(db().ctx, call('sel', { importIds: ['31', '32', '34', '99', 'x;drop'] }));
    const [first, second] = await Promise.all([confirm(), confirm()]);
    const results = [first, second].sort((a, b) => b.created.length - a.created.length);
    expect(results[0]?.created).toHaveLength(2);
    expect(results[1]?.created).toEqual([]);
    expect(results[1]?.skipped).toEqual([
      { upstreamId: '31', reason: 'already_imported' },
      { upstreamId: '32', reason: 'already_imported' },
      { upstreamId: '34', reason: 'not_in_catalog' },
      { upstreamId: '99', reason: 'not_in_catalog' },
    ]);
    const services = await listServicesOfProvider(db().ctx.db, 'sel');
    expect(
      services.map((s) => [s.upstream_service_id, s.is_active, s.link_type, Number(s.rate_units)]).sort(),
    ).toEqual([
      ['31', 0, 'post_url', 11_700],
      ['32', 0, 'username', 23_400],
    ]);
    const imports = (await listAudit(db().ctx.db, { limit: 50, offset: 0 })).filter(
      (a) => a.action === 'provider.import',
    );
    expect(imports).toHaveLength(1);
  });

  it('activates one by one and in bulk with the confirmed link type, audited; a bad link type writes nothing', async () => {
    const services = await listServicesOfProvider(db().ctx.db, 'sel');
    const likes = services.find((s) => s.upstream_service_id === '31')?.id ?? 0;
    const followers = services.find((s) => s.upstream_service_id === '32')?.id ?? 0;
    expect(
      await refusalOf(
        activateImportedServices(db().ctx, {
          serviceIds: [likes, followers],
          linkTypes: new Map([[likes, 'javascript:']]),
          actor: 'admin@test',
        }),
      ),
    ).toBe('service_link_type_invalid');
    expect((await findService(db().ctx.db, likes))?.is_active).toBe(0);
    await activateImportedServices(db().ctx, {
      serviceIds: [likes],
      linkTypes: new Map([[likes, 'reel_url']]),
      actor: 'admin@test',
    });
    expect((await findService(db().ctx.db, likes))?.link_type).toBe('reel_url');
    expect((await findService(db().ctx.db, likes))?.is_active).toBe(1);
    await setServiceActive(db().ctx, { serviceId: likes, isActive: false, actor: 'admin@test' });
    await activateImportedServices(db().ctx, {
      serviceIds: [likes, followers],
      linkTypes: new Map(),
      actor: 'admin@test',
    });
    expect((await findService(db().ctx.db, likes))?.is_active).toBe(1);
    expect((await findService(db().ctx.db, followers))?.is_active).toBe(1);
    expect((await findService(db().ctx.db, followers))?.link_type).toBe('username');
    const audit = await listAudit(db().ctx.db, { limit: 50, offset: 0 });
    const activation = audit.find(
      (a) => a.action === 'service.update' && a.details_json.includes('"linkType"'),
    );
    expect(JSON.parse(activation?.details_json ?? '{}')).toMatchObject({
      serviceId: likes,
      linkType: { from: 'post_url', to: 'reel_url' },
      isActive: { from: false, to: true },
    });
  });

  it('shows a re-import’s differences and applies only the chosen ones, audited', async () => {
    upstream.services = [
      { service: 31, name: 'Likes HQ', category: 'Instagram Likes', rate: '1.20', min: 20, max: 20000 },
      { service: 33, name: 'Reel views', category: 'Instagram Reels', rate: '0.5', min: 100, max: 100000 },
    ];
    const preview = await previewProviderImport(db().ctx, { provider: 'sel', markup: '30', timeoutMs: 3000 });
    const services = await listServicesOfProvider(db().ctx.db, 'sel');
    const likes = services.find((s) => s.upstream_service_id === '31')?.id ?? 0;
    const followers = services.find((s) => s.upstream_service_id === '32')?.id ?? 0;
    expect(preview.differences).toEqual([
      {
        serviceId: likes,
        upstreamId: '31',
        ourName: 'Likes',
        isActive: true,
        rate: { upstreamFrom: '1.00', upstreamTo: '1.20', ourFromUnits: 11_700, ourToUnits: 14_040 },
        name: { from: 'Likes', to: 'Likes HQ' },
        limits: { minFrom: 10, maxFrom: 10000, minTo: 20, maxTo: 20000 },
      },
    ]);
    expect(preview.gone).toEqual([
      { serviceId: followers, upstreamId: '32', name: 'Followers', isActive: true },
    ]);
    expect(preview.entries.find((e) => e.upstreamId === '33')?.importedServiceId).toBeNull();

    const applied = await importChosenServices(db().ctx, call('sel', { applyIds: ['31', '32', '33'] }));
    expect(applied.updated).toEqual([likes]);
    expect(applied.skipped).toEqual([
      { upstreamId: '32', reason: 'not_in_catalog' },
      { upstreamId: '33', reason: 'not_imported' },
    ]);
    const after = await findService(db().ctx.db, likes);
    expect([after?.name, Number(after?.rate_units), after?.min_quantity, after?.max_quantity]).toEqual([
      'Likes HQ',
      14_040,
      20,
      20000,
    ]);
    const again = await previewProviderImport(db().ctx, { provider: 'sel', markup: '30', timeoutMs: 3000 });
    expect(again.differences).toEqual([]);
    const audit = await listAudit(db().ctx.db, { limit: 50, offset: 0 });
    expect(audit.some((a) => a.action === 'service.update' && a.details_json.includes('"Likes HQ"'))).toBe(
      true,
    );
  });
});

describe('comparing a catalog', () => {
  it('caps the entries it reads and then calls nothing gone', () => {
    const big = Array.from({ length: MAX_CATALOG_ENTRIES + 5 }, (_, i) => ({
      service: i + 1,
      name: `S${i}`,
      category: 'C',
      rate: '1',
      min: 1,
      max: 10,
    }));
    const compared = compareCatalog(big, [], { markupBasisPoints: 0, eurRateMicros: 1_000_000 });
    expect(compared.entries).toHaveLength(MAX_CATALOG_ENTRIES);
    expect(compared.leftOut).toBe(5);
    expect(compared.gone).toEqual([]);
  });
});
