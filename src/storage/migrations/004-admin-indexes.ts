import type { Kysely, Migration } from 'kysely';

/**
 * Indexes for the admin pages' reads: money per day and customers ordering in a window read
 * by time; a customer's audit trail by account. Without them each overview scans every row.
 */
export function adminIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('ledger_entries_kind_time')
        .on('ledger_entries')
        .columns(['kind', 'created_at'])
        .execute();
      await db.schema.createIndex('orders_created').on('orders').column('created_at').execute();
      await db.schema
        .createIndex('audit_log_target')
        .on('audit_log')
        .columns(['target_account_id', 'id'])
        .execute();
    },
  };
}
