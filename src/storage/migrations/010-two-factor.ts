import type { Kysely, Migration } from 'kysely';

/**
 * Two-factor sign-in (TOTP). The secret is stored encrypted (src/app/two-factor-secrets.ts),
 * recovery codes and pending sign-ins only as SHA-256 hashes of high-entropy values, so a
 * database dump alone lets nobody compute a code or finish a sign-in.
 */
export function twoFactorMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('two_factor')
        .addColumn('account_id', 'bigint', (c) => c.primaryKey().references('accounts.id'))
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        // Null while the owner has not yet confirmed the secret with a code.
        .addColumn('enabled_at', 'bigint')
        // The last 30-second step whose code was accepted: a code is never accepted twice.
        .addColumn('last_used_step', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('recovery_codes')
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('used_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('recovery_codes_account')
        .on('recovery_codes')
        .column('account_id')
        .execute();
      await db.schema
        .createTable('pending_sign_ins')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('pending_sign_ins_expiry')
        .on('pending_sign_ins')
        .column('expires_at')
        .execute();
    },
  };
}
