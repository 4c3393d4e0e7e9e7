import type { CompletedSample } from '../domain/service-timing.js';
import type { Executor } from './schema.js';

/**
 * The latest `limit` completed orders of one service, as (quantity, placement to completion).
 * Read through the (service_id, completed_at) index of migration 012.
 */
export async function latestCompletions(
  db: Executor,
  serviceId: number,
  limit: number,
): Promise<CompletedSample[]> {
  const rows = await db
    .selectFrom('orders')
    .select(['quantity', 'created_at', 'completed_at'])
    .where('service_id', '=', serviceId)
    .where('status', '=', 'Completed')
    .where('completed_at', 'is not', null)
    .orderBy('completed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    quantity: Number(r.quantity),
    durationMs: Math.max(0, Number(r.completed_at) - Number(r.created_at)),
  }));
}
