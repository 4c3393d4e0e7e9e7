import type { AppContext } from './context.js';
import { getService, serviceFieldsOf } from './list-all-services.js';
import { updateServiceFields } from './save-service.js';

/** Turns drip-feed on or off for a service: an audited update of that one field. */
export async function setServiceDripfeed(
  ctx: AppContext,
  options: { serviceId: number; isDripfeed: boolean; actor: string },
): Promise<void> {
  const service = await getService(ctx, { serviceId: options.serviceId });
  await updateServiceFields(ctx, {
    id: service.id,
    fields: { ...serviceFieldsOf(service), isDripfeed: options.isDripfeed },
    actor: options.actor,
  });
}
