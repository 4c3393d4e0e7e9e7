import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/** An auto-increment primary key, the one column type that differs between the two databases. */
export function idColumn(kind: DatabaseKind) {
  return kind === 'sqlite' ? ('integer' as const) : ('bigserial' as const);
}

export async function forbidUpdatesAndDeletes(db: Kysely<unknown>, kind: DatabaseKind, table: string) {
  const message = `${table} is append-only`;
  if (kind === 'sqlite') {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${message}'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create function ${table}_append_only() returns trigger language plpgsql as $$ begin raise exception '${message}'; end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_append_only before update or delete on ${table} for each row execute function ${table}_append_only()`,
    )
    .execute(db);
}

export function initialMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const id = idColumn(kind);
      await db.schema
        .createTable('accounts')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('user', 'admin')`))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
        // contract §3: a balance never goes below zero, whatever the code does.
        .addColumn('balance_units', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`balance_units >= 0`))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      // One active key per account, enforced by the database.
      await db.schema
        .createIndex('api_keys_one_active_per_account')
        .on('api_keys')
        .column('account_id')
        .unique()
        .where(sql.ref('revoked_at'), 'is', null)
        .execute();

      await db.schema
        .createTable('services')
        .addColumn('id', 'bigint', (c) => c.primaryKey().check(sql`id > 0`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('Default', 'Custom Comments')`))
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('link_type', 'text', (c) =>
          c.notNull().check(sql`link_type in ('post_url', 'reel_url', 'username')`),
        )
        .addColumn('rate_units', 'bigint', (c) => c.notNull().check(sql`rate_units >= 0`))
        .addColumn('min_quantity', 'bigint', (c) => c.notNull().check(sql`min_quantity >= 1`))
        .addColumn('max_quantity', 'bigint', (c) => c.notNull())
        .addColumn('can_cancel', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('backend', 'text', (c) => c.notNull().defaultTo('operator'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('services_min_le_max', sql`min_quantity <= max_quantity`)
        .execute();

      await db.schema
        .createTable('orders')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('service_id', 'bigint', (c) => c.notNull().references('services.id'))
        .addColumn('link', 'text', (c) => c.notNull())
        .addColumn('quantity', 'bigint', (c) => c.notNull().check(sql`quantity > 0`))
        .addColumn('comments', 'text')
        .addColumn('charge_units', 'bigint', (c) => c.notNull().check(sql`charge_units >= 0`))
        .addColumn('refunded_units', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(sql`status in ('Pending', 'In progress', 'Completed', 'Partial', 'Canceled', 'Error')`),
        )
        .addColumn('start_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('remains', 'bigint', (c) => c.notNull())
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        // contract §9: a refund never exceeds the charge.
        .addCheckConstraint(
          'orders_refund_within_charge',
          sql`refunded_units >= 0 and refunded_units <= charge_units`,
        )
        .addCheckConstraint('orders_remains_within_quantity', sql`remains >= 0 and remains <= quantity`)
        .execute();
      await db.schema.createIndex('orders_account').on('orders').columns(['account_id', 'id']).execute();
      await db.schema.createIndex('orders_status').on('orders').columns(['status', 'id']).execute();

      await db.schema
        .createTable('ledger_entries')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(sql`kind in ('deposit', 'charge', 'refund', 'adjustment')`),
        )
        .addColumn('amount_units', 'bigint', (c) => c.notNull())
        .addColumn('balance_after_units', 'bigint', (c) => c.notNull().check(sql`balance_after_units >= 0`))
        .addColumn('order_id', 'bigint', (c) => c.references('orders.id'))
        .addColumn('reason', 'text')
        .addColumn('actor', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint(
          'ledger_entry_sign',
          sql`(kind = 'charge' and amount_units <= 0 and order_id is not null)
            or (kind = 'refund' and amount_units > 0 and order_id is not null)
            or (kind = 'deposit' and amount_units > 0)
            or (kind = 'adjustment' and amount_units <> 0 and reason is not null)`,
        )
        .execute();
      await db.schema
        .createIndex('ledger_entries_account')
        .on('ledger_entries')
        .columns(['account_id', 'id'])
        .execute();
      // One charge and at most one refund per order (contract §9).
      for (const entryKind of ['charge', 'refund']) {
        await db.schema
          .createIndex(`ledger_entries_one_${entryKind}_per_order`)
          .on('ledger_entries')
          .column('order_id')
          .unique()
          .where(sql.ref('kind'), '=', entryKind)
          .execute();
      }
      await forbidUpdatesAndDeletes(db, kind, 'ledger_entries');

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('idem_key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('response_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'idem_key'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_account_id', 'bigint', (c) => c.references('accounts.id'))
        .addColumn('details_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await forbidUpdatesAndDeletes(db, kind, 'audit_log');
    },
  };
}
