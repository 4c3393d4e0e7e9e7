import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * The fulfilment engine: scheduling and lease columns on orders (so several workers share one
 * database and a killed worker's orders pass to another), the upstream order link, and the
 * upstream providers whose services can be imported.
 */
export function engineMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // SQLite takes one ADD COLUMN per ALTER TABLE.
      const orderColumns: [string, 'bigint' | 'text' | 'integer', boolean][] = [
        ['next_run_at', 'bigint', true],
        ['lease_owner', 'text', false],
        ['lease_until', 'bigint', false],
        ['backend', 'text', false],
        ['started_at', 'bigint', false],
        ['retry_count', 'integer', true],
        ['retry_since', 'bigint', false],
        ['upstream_order_id', 'text', false],
        ['upstream_state', 'text', false],
      ];
      for (const [name, type, hasZeroDefault] of orderColumns) {
        await db.schema
          .alterTable('orders')
          .addColumn(name, type, (c) => (hasZeroDefault ? c.notNull().defaultTo(0) : c))
          .execute();
      }
      await db.schema.createIndex('orders_due').on('orders').columns(['status', 'next_run_at']).execute();
      await db.schema.createIndex('orders_upstream_state').on('orders').column('upstream_state').execute();

      for (const name of ['upstream_provider', 'upstream_service_id']) {
        await db.schema.alterTable('services').addColumn(name, 'text').execute();
      }
      // Re-importing a provider's catalog updates its services instead of adding copies.
      await db.schema
        .createIndex('services_upstream_unique')
        .on('services')
        .columns(['upstream_provider', 'upstream_service_id'])
        .unique()
        .where(sql.ref('upstream_provider'), 'is not', null)
        .execute();

      await db.schema
        .createTable('providers')
        .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigserial', (c) =>
          kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('url', 'text', (c) => c.notNull())
        // The upstream key must be sent as is, so it cannot be hashed; it is never printed or
        // logged, and `key_prefix` is what operators see.
        .addColumn('api_key', 'text', (c) => c.notNull())
        .addColumn('key_prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
