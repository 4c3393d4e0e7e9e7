import { listServicesOfProvider } from '../storage/providers-repository.js';
import { fetchUpstreamBalance, fetchUpstreamServices } from '../upstream/upstream-client.js';
import { askProvider } from './ask-provider.js';
import type { AppContext } from './context.js';
import { parseMarkup } from './import-provider-services.js';
import { type CatalogComparison, compareCatalog } from './provider-catalog.js';

export interface ImportPreview extends CatalogComparison {
  provider: string;
  /** The provider's currency, from its last balance; null when it never answered one. */
  currency: string | null;
  markupBasisPoints: number;
  eurRateMicros: number;
}

/**
 * The provider's catalog fetched live, held against what we imported from it: nothing is
 * written. An empty markup takes the provider's own; an unreachable provider is a refusal.
 */
export async function previewProviderImport(
  ctx: AppContext,
  options: { provider: string; markup: string; timeoutMs: number },
): Promise<ImportPreview> {
  const typedMarkup = options.markup.trim() === '' ? undefined : parseMarkup(options.markup);
  const { provider, value: catalog } = await askProvider(
    ctx,
    { name: options.provider, timeoutMs: options.timeoutMs },
    fetchUpstreamServices,
  );
  const markupBasisPoints = typedMarkup ?? provider.markup_basis_points;
  let currency = provider.balance_currency;
  if (currency === null) {
    // Only for the label: a balance that does not answer leaves the currency unknown.
    const balance = await fetchUpstreamBalance({
      url: provider.url,
      apiKey: provider.api_key,
      timeoutMs: options.timeoutMs,
      network: ctx.providerNetwork,
    });
    currency = balance.ok && balance.value.currency !== '?' ? balance.value.currency : null;
  }
  const services = await listServicesOfProvider(ctx.db, provider.name);
  const terms = { markupBasisPoints, eurRateMicros: provider.eur_rate_micros };
  return { provider: provider.name, currency, ...terms, ...compareCatalog(catalog, services, terms) };
}
