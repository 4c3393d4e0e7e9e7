import { listOperatorQueueRows } from '../storage/engine-repository.js';
import type { AppContext } from './context.js';

export interface QueuedOrder {
  orderId: number;
  accountId: number;
  accountEmail: string;
  serviceId: number;
  serviceName: string;
  link: string;
  quantity: number;
  comments: string | null;
  status: string;
  startCount: number;
  remains: number;
  failedAttempts: number;
  createdAt: number;
  /** A drip-feed order's runs and minutes between them; null for a single delivery. */
  runs: number | null;
  intervalMinutes: number | null;
}

/**
 * The operator queue for the admin pages: Pending and In progress orders of services delivered
 * by a person, oldest first. Each is worked with record-order-progress / record-failed-attempt.
 */
export async function listOperatorQueue(
  ctx: AppContext,
  options: { limit?: number; offset?: number } = {},
): Promise<QueuedOrder[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  const rows = await listOperatorQueueRows(ctx.db, { limit, offset: Math.max(options.offset ?? 0, 0) });
  return rows.map((row) => ({
    orderId: row.id,
    accountId: row.account_id,
    accountEmail: row.account_email,
    serviceId: row.service_id,
    serviceName: row.service_name,
    link: row.link,
    quantity: row.quantity,
    comments: row.comments,
    status: row.status,
    startCount: row.start_count,
    remains: row.remains,
    failedAttempts: row.failed_attempts,
    createdAt: row.created_at,
    runs: row.runs,
    intervalMinutes: row.interval_minutes,
  }));
}
