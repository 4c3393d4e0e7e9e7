import { DomainError } from '../domain/errors.js';
import { isLinkType } from '../domain/link-types.js';
import type { AppContext } from './context.js';
import { getService, serviceFieldsOf } from './list-all-services.js';
import { updateServiceFields } from './save-service.js';

/**
 * Imported services put on sale, one or many, each with the link type the operator confirmed
 * (the one proposed at import when none is given). Every link type is checked before anything
 * is written; each activation is an audited edit of that service.
 */
export async function activateImportedServices(
  ctx: AppContext,
  options: { serviceIds: readonly number[]; linkTypes: ReadonlyMap<number, string>; actor: string },
): Promise<number[]> {
  const ids = [...new Set(options.serviceIds)];
  for (const linkType of options.linkTypes.values()) {
    if (!isLinkType(linkType)) throw new DomainError('service_link_type_invalid');
  }
  const services = [];
  for (const serviceId of ids) services.push(await getService(ctx, { serviceId }));
  for (const service of services) {
    const fields = serviceFieldsOf(service);
    await updateServiceFields(ctx, {
      id: service.id,
      fields: { ...fields, linkType: options.linkTypes.get(service.id) ?? fields.linkType, isActive: true },
      actor: options.actor,
    });
  }
  return ids;
}
