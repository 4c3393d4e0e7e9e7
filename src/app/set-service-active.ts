import type { AppContext } from './context.js';
import { getService, serviceFieldsOf } from './list-all-services.js';
import { updateServiceFields } from './save-service.js';

/** Activates or deactivates a service: an audited update of that one field. */
export async function setServiceActive(
  ctx: AppContext,
  options: { serviceId: number; isActive: boolean; actor: string },
): Promise<void> {
  const service = await getService(ctx, { serviceId: options.serviceId });
  await updateServiceFields(ctx, {
    id: service.id,
    fields: { ...serviceFieldsOf(service), isActive: options.isActive },
    actor: options.actor,
  });
}
