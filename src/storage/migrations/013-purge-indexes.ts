import type { Kysely, Migration } from 'kysely';

/**
 * The worker purges expired rows in small batches (src/app/purge-expired-records.ts): each
 * batch finds its oldest rows by time, which without these indexes scans the whole table.
 * password_attempts has its time index already (006).
 */
export function purgeIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('idempotency_keys_created')
        .on('idempotency_keys')
        .column('created_at')
        .execute();
      await db.schema.createIndex('web_sessions_expires').on('web_sessions').column('expires_at').execute();
      await db.schema
        .createIndex('web_sessions_last_seen')
        .on('web_sessions')
        .column('last_seen_at')
        .execute();
    },
  };
}
