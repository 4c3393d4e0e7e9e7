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
  'account.two_factor_enable',
  'account.two_factor_disable',
  'account.two_factor_reset',
  'account.recovery_codes_regenerate',
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
  'support.close',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The filter's groups: every action whose key begins so. */
export type AuditActionGroup = 'account.' | 'service.' | 'order.' | 'provider.' | 'payment.' | 'support.';
