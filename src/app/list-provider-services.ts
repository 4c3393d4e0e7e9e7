import { listServicesOfProvider } from '../storage/providers-repository.js';
import type { ServiceRow } from '../storage/schema.js';
import type { AppContext } from './context.js';

/** The services imported from a provider that are off sale, awaiting the operator, by id. */
export async function listInactiveProviderServices(
  ctx: AppContext,
  options: { provider: string },
): Promise<ServiceRow[]> {
  const services = await listServicesOfProvider(ctx.db, options.provider);
  return services.filter((s) => s.is_active === 0 && s.is_gone_upstream === 0).sort((a, b) => a.id - b.id);
}
