import { type AuditFilter, type AuditRow, searchAudit } from '../storage/audit-repository.js';
import type { AppContext } from './context.js';
import { fetchPage, type Paged } from './pagination.js';

export type { AuditAction, AuditActionGroup, AuditRow } from '../storage/audit-repository.js';

/** The audit log, newest first, filtered by actor, action prefix or target account. */
export async function listAuditLog(
  ctx: AppContext,
  options: AuditFilter & { page?: number },
): Promise<Paged<AuditRow>> {
  const { page, ...filter } = options;
  return fetchPage(page, (window) => searchAudit(ctx.db, filter, window));
}
