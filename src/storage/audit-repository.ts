import type { AuditAction } from '../domain/audit-actions.js';
import type { Executor } from './schema.js';

export type { AuditAction, AuditActionGroup } from '../domain/audit-actions.js';
export { AUDIT_ACTIONS } from '../domain/audit-actions.js';

export async function appendAudit(
  db: Executor,
  entry: {
    actor: string;
    action: AuditAction;
    targetAccountId?: number | null;
    details: object;
    createdAt: number;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      target_account_id: entry.targetAccountId ?? null,
      details_json: JSON.stringify(entry.details),
      created_at: entry.createdAt,
    })
    .execute();
}

export function listAudit(db: Executor, options: { limit: number; offset: number }) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}
