import { expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { createService, updateServiceFields } from '../src/app/save-service.js';
import { findService } from '../src/storage/services-repository.js';
import { LIKES_SERVICE } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

describeEachDatabase('a service delivered by an upstream panel', (db) => {
  it('is refused when the provider is not registered, and changes nothing', async () => {
    const create = createService(db().ctx, {
      id: 901,
      fields: { ...LIKES_SERVICE, backend: 'upstream:nobody', upstreamServiceId: '17' },
      actor: 'test',
    });
    await expect(create).rejects.toThrow('provider_not_found');
    expect(await findService(db().ctx.db, 901)).toBeUndefined();
  });

  it("needs the provider's service id, and keeps it when the service is edited", async () => {
    await addProvider(db().ctx, {
      name: 'panel1',
      url: 'http://127.0.0.1:9/api/v2',
      apiKey: 'secret-key-1',
      actor: 'test',
    });
    const withoutId = createService(db().ctx, {
      id: 902,
      fields: { ...LIKES_SERVICE, backend: 'upstream:panel1' },
      actor: 'test',
    });
    await expect(withoutId).rejects.toThrow('upstream_service_id_required');
    expect(await findService(db().ctx.db, 902)).toBeUndefined();

    await createService(db().ctx, {
      id: 903,
      fields: { ...LIKES_SERVICE, backend: 'upstream:panel1', upstreamServiceId: '4711' },
      actor: 'test',
    });
    expect(await findService(db().ctx.db, 903)).toMatchObject({
      backend: 'upstream:panel1',
      upstream_provider: 'panel1',
      upstream_service_id: '4711',
    });
    await updateServiceFields(db().ctx, {
      id: 903,
      fields: { ...LIKES_SERVICE, name: 'Renamed', backend: 'upstream:panel1' },
      actor: 'test',
    });
    expect(await findService(db().ctx.db, 903)).toMatchObject({
      name: 'Renamed',
      upstream_service_id: '4711',
    });
  });
});
