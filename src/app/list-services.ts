import { discountedRate } from '../domain/pricing.js';
import type { ServiceRow } from '../storage/schema.js';
import { listActiveServices } from '../storage/services-repository.js';
import type { AppContext } from './context.js';

export interface PricedService {
  service: ServiceRow;
  /** contract §4: the caller's discount already applied. */
  rateUnits: number;
}

export async function listServices(
  ctx: AppContext,
  options: { accountId?: number },
): Promise<PricedService[]> {
  const services = await listActiveServices(ctx.db);
  if (options.accountId === undefined)
    return services.map((service) => ({ service, rateUnits: service.rate_units }));
  const { tier } = await ctx.discounts.standing(ctx.db, options.accountId, ctx.clock.now());
  return services.map((service) => ({ service, rateUnits: discountedRate(service.rate_units, tier) }));
}
