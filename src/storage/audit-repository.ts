import { sql } from 'kysely';
import type { AuditAction } from '../domain/audit-actions.js';
import type { Executor } from './schema.js';
import { containsText, type PageWindow } from './text-search.js';

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

export interface AuditFilter {
  /** Part of the actor's name. */
  actor?: string;
  /** An action prefix: `account.`, `order.cancel` … */
  action?: string;
  accountId?: number;
}

export interface AuditRow {
  id: number;
  actor: string;
  action: string;
  target_account_id: number | null;
  target_email: string | null;
  details_json: string;
  created_at: number;
}

export async function searchAudit(
  db: Executor,
  filter: AuditFilter,
  page: PageWindow,
): Promise<{ rows: AuditRow[]; total: number }> {
  let query = db.selectFrom('audit_log').leftJoin('accounts', 'accounts.id', 'audit_log.target_account_id');
  if (filter.actor?.trim()) query = query.where(containsText('audit_log.actor', filter.actor.trim()));
  if (filter.action?.trim()) {
    const prefix = `${filter.action.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`${sql.ref('audit_log.action')} like ${prefix} escape '\\'`);
  }
  if (filter.accountId !== undefined)
    query = query.where('audit_log.target_account_id', '=', filter.accountId);
  const count = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'audit_log.id',
      'audit_log.actor',
      'audit_log.action',
      'audit_log.target_account_id',
      'accounts.email as target_email',
      'audit_log.details_json',
      'audit_log.created_at',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    rows: rows.map((row) => ({ ...row, id: Number(row.id), created_at: Number(row.created_at) })),
    total: Number(count.n),
  };
}
