import { afterAll, beforeAll, expect, it } from 'vitest';
import { findService } from '../src/storage/services-repository.js';
import { useCli } from './support/cli.js';
import { describeEachDatabase } from './support/databases.js';
import { FakeProvider } from './support/fake-provider.js';

const KEY = 'cli-import-secret-987654321';

describeEachDatabase('provider import from the CLI', (db) => {
  const provider = new FakeProvider(KEY);
  const { cli } = useCli(() => db().url);

  beforeAll(async () => {
    await provider.start();
    provider.services = [
      { service: 5, name: 'Likes', category: 'Likes', rate: '0.5', min: '10', max: '1000' },
      { service: 6, name: 'Followers', category: 'Followers', rate: '1', min: '10', max: '1000' },
    ];
  });
  afterAll(() => provider.stop());

  it('previews, imports the chosen services inactive, activates and pauses them', async () => {
    expect(
      (await cli(['provider', 'add', '--name', 'cliimp', '--url', provider.url, '--key', KEY])).code,
    ).toBe(0);
    const preview = await cli(['provider', 'import', '--provider', 'cliimp', '--markup', '10', '--preview']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.json).toMatchObject({
      provider: 'cliimp',
      markupBasisPoints: 1000,
      differences: [],
      gone: [],
    });
    const bad = await cli(['provider', 'import', '--provider', 'cliimp', '--services', '6,x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--services must be a whole number/);
    const imported = await cli([
      'provider',
      'import',
      '--provider',
      'cliimp',
      '--markup',
      '10',
      '--services',
      '6',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const created = (imported.json as { created: number[] }).created;
    expect(created).toHaveLength(1);
    const id = created[0] ?? 0;
    expect((await findService(db().ctx.db, id))?.is_active).toBe(0);
    expect((await findService(db().ctx.db, id))?.link_type).toBe('username');
    const activated = await cli([
      'provider',
      'activate',
      '--services',
      String(id),
      '--link-type',
      'post_url',
    ]);
    expect(activated.code, activated.stderr).toBe(0);
    expect(await findService(db().ctx.db, id)).toMatchObject({ is_active: 1, link_type: 'post_url' });
    expect((await cli(['provider', 'pause', '--services', String(id)])).code).toBe(0);
    expect((await findService(db().ctx.db, id))?.is_active).toBe(0);
  });
});
