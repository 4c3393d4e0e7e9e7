import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * Password guesses are reserved before the password is checked (src/app/password-attempts.ts),
 * so the rows are attempts, not failures: a row is written first and removed when the password
 * proves right. `login_failures` (003), which counted after the check, is no longer used.
 */
export function passwordAttemptsMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('password_attempts')
        .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigserial', (c) =>
          kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('password_attempts_email')
        .on('password_attempts')
        .columns(['email', 'created_at'])
        .execute();
      await db.schema
        .createIndex('password_attempts_ip')
        .on('password_attempts')
        .columns(['ip', 'created_at'])
        .execute();
      await db.schema
        .createIndex('password_attempts_time')
        .on('password_attempts')
        .column('created_at')
        .execute();
      await db.schema.dropTable('login_failures').execute();
    },
  };
}
