import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * Web sign-in: server-side sessions (only a SHA-256 of the cookie's token is stored, so a
 * database leak gives no usable session) and failed log-ins, counted for throttling.
 */
export function webSessionsMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('web_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('web_sessions_account').on('web_sessions').column('account_id').execute();

      await db.schema
        .createTable('login_failures')
        .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigserial', (c) =>
          kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('login_failures_email')
        .on('login_failures')
        .columns(['email', 'created_at'])
        .execute();
      await db.schema
        .createIndex('login_failures_ip')
        .on('login_failures')
        .columns(['ip', 'created_at'])
        .execute();
    },
  };
}
