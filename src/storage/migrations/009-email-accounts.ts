import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * Accounts that own an email address (issue 10): when it was verified, the language mails are
 * written in, the low-balance threshold; the mail outbox (written in the transaction of the
 * event that causes a mail, sent by a loop); the emailed tokens (verification, password reset,
 * sign-in link), stored hashed; and the requests that send mail, counted for their rate limits.
 */
export function emailAccountsMigration(kind: DatabaseKind): Migration {
  const id = (c: ColumnDefinitionBuilder) =>
    kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey();
  const idType = kind === 'sqlite' ? 'integer' : 'bigserial';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('accounts').addColumn('email_verified_at', 'bigint').execute();
      await db.schema
        .alterTable('accounts')
        .addColumn('language', 'text', (c) =>
          c.notNull().defaultTo('it').check(sql`language in ('it', 'en')`),
        )
        .execute();
      await db.schema.alterTable('accounts').addColumn('low_balance_threshold_units', 'bigint').execute();
      await db.schema
        .alterTable('accounts')
        .addColumn('is_low_balance_notified', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // Every account so far was made by an operator or before verification existed.
      await sql`update accounts set email_verified_at = created_at`.execute(db);

      await db.schema
        .createTable('mail_outbox')
        .addColumn('id', idType, id)
        .addColumn('account_id', 'bigint')
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sent_at', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('mail_outbox_due')
        .on('mail_outbox')
        .columns(['sent_at', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('account_tokens')
        .addColumn('id', idType, id)
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('purpose', 'text', (c) =>
          c.notNull().check(sql`purpose in ('verify_email', 'reset_password', 'sign_in')`),
        )
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('account_tokens_account')
        .on('account_tokens')
        .columns(['account_id', 'purpose'])
        .execute();

      await db.schema
        .createTable('mail_requests')
        .addColumn('id', idType, id)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('mail_requests_email')
        .on('mail_requests')
        .columns(['kind', 'email', 'created_at'])
        .execute();
      await db.schema
        .createIndex('mail_requests_ip')
        .on('mail_requests')
        .columns(['kind', 'ip', 'created_at'])
        .execute();
    },
  };
}
