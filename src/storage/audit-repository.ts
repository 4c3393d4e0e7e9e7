import type { Executor } from './schema.js';

/**
 * Every action the audit log records. Closed, so the admin's pages have a word for each in
 * every language (a table keyed by this type) instead of showing a raw key.
 */
export const AUDIT_ACTIONS = [
  'account.create',
  'account.credit',
  'account.debit',
  'account.suspend',
  'account.unsuspend',
  'account.key',
  'account.password_change',
  'account.sign_out_others',
  'account.api_profile',
  'account.outstanding',
  'service.create',
  'service.update',
  'service.sync_pause',
  'service.sync_reprice',
  'service.sync_gone',
  'order.progress',
  'order.fail',
  'order.cancel',
  'provider.add',
  'provider.import',
  'provider.settings',
  'provider.balance_low',
  'payment.confirm',
  'payment.reject',
  'payment.statement_import',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The filter's groups: every action whose key begins so. */
export type AuditActionGroup = 'account.' | 'service.' | 'order.' | 'provider.' | 'payment.';

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
