import { DomainError } from '../domain/errors.js';
import type { ServiceRow } from '../storage/schema.js';
import { findService, listServiceRows } from '../storage/services-repository.js';
import type { AppContext } from './context.js';
import type { ServiceFields } from './save-service.js';

export type { ServiceRow };

/** Every service, active or not, by category then id: the admin's catalogue. */
export function listAllServices(ctx: AppContext): Promise<ServiceRow[]> {
  return listServiceRows(ctx.db);
}

export async function getService(ctx: AppContext, options: { serviceId: number }): Promise<ServiceRow> {
  const service = await findService(ctx.db, options.serviceId);
  if (!service) throw new DomainError('service_not_found', { serviceId: options.serviceId });
  return service;
}

/** A stored service as the fields that createService and updateServiceFields take. */
export function serviceFieldsOf(service: ServiceRow): ServiceFields {
  return {
    name: service.name,
    category: service.category,
    type: service.type,
    linkType: service.link_type,
    rateUnits: Number(service.rate_units),
    minQuantity: Number(service.min_quantity),
    maxQuantity: Number(service.max_quantity),
    canCancel: service.can_cancel === 1,
    isActive: service.is_active === 1,
    backend: service.backend,
    isDripfeed: service.is_dripfeed === 1,
  };
}
