import { type AuditFilter, type AuditRow, searchAudit } from '../storage/admin-queries.js';
import type { AppContext } from './context.js';
import { type Paged, paged, pageWindow } from './list-customers.js';

/** The audit log, newest first, filtered by actor, action prefix or target account. */
export async function listAuditLog(
  ctx: AppContext,
  options: AuditFilter & { page?: number },
): Promise<Paged<AuditRow>> {
  const { page, ...filter } = options;
  const window = pageWindow(page ?? 1);
  return paged(await searchAudit(ctx.db, filter, window), window.page);
}
