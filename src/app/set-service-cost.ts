import type { AppContext } from './context.js';
import { getService, serviceFieldsOf } from './list-all-services.js';
import { updateServiceFields } from './save-service.js';

/**
 * Sets what 1,000 units of a service cost us when we deliver it ourselves (null: unknown), an
 * audited update of that one field, as the admin's service form does it.
 */
export async function setServiceCost(
  ctx: AppContext,
  options: { serviceId: number; costPer1000Units: number | null; actor: string },
): Promise<void> {
  const service = await getService(ctx, { serviceId: options.serviceId });
  await updateServiceFields(ctx, {
    id: service.id,
    fields: { ...serviceFieldsOf(service), costPer1000Units: options.costPer1000Units },
    actor: options.actor,
  });
}
