import { addProvider } from '../../src/app/add-provider.js';
import type { AppContext } from '../../src/app/context.js';
import { importProviderServices } from '../../src/app/import-provider-services.js';
import type { ServiceFields } from '../../src/app/save-service.js';
import { setProviderSettings } from '../../src/app/set-provider-settings.js';

/** An operator-delivered service with a cost per 1,000 (2.0000 EUR) for cost and margin tests. */
export const HAND_MADE_COMMENTS: ServiceFields = {
  name: 'Hand-made comments',
  category: 'Instagram Comments',
  type: 'Default',
  linkType: 'post_url',
  rateUnits: 50_000,
  minQuantity: 10,
  maxQuantity: 1000,
  canCancel: true,
  isActive: true,
  backend: 'operator',
  costPer1000Units: 20_000,
};

/**
 * A provider at `url` (a FakeProvider) whose catalog is imported at a 30% markup; with `eurRate`
 * it bills in another currency counted at that many EUR per unit. Returns our first service.
 */
export async function importUpstreamService(
  ctx: AppContext,
  provider: { name: string; url: string; apiKey: string; eurRate?: string },
): Promise<number> {
  await addProvider(ctx, { name: provider.name, url: provider.url, apiKey: provider.apiKey, actor: 't' });
  if (provider.eurRate) {
    await setProviderSettings(ctx, {
      provider: provider.name,
      settings: {
        markup: '30',
        marginFloor: '10',
        onLowMargin: 'pause',
        eurRate: provider.eurRate,
        lowBalance: '',
      },
      actor: 't',
    });
  }
  const imported = await importProviderServices(ctx, {
    provider: provider.name,
    markup: '30',
    timeoutMs: 2000,
    actor: 't',
  });
  return imported.created[0] ?? 0;
}
