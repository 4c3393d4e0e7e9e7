import type { Kysely, Migration } from 'kysely';

type Column = [
  name: string,
  type: 'bigint' | 'text' | 'integer',
  options: 'zero' | 'null' | ['default', number | string],
];

/**
 * Running the business (issue 13): what each order cost us, the provider's sync settings and
 * its last sync, the upstream's own figures on imported services, and the report's index.
 */
export function providerSyncMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const add = async (table: string, [name, type, option]: Column) => {
        // SQLite takes one ADD COLUMN per ALTER TABLE.
        await db.schema
          .alterTable(table)
          .addColumn(name, type, (c) =>
            option === 'null'
              ? c
              : option === 'zero'
                ? c.notNull().defaultTo(0)
                : c.notNull().defaultTo(option[1]),
          )
          .execute();
      };
      const orderColumns: Column[] = [
        // The upstream's `charge` as it wrote it (exact decimal text, in its currency).
        ['upstream_charge', 'text', 'null'],
        // What the order cost us, in EUR units; null while nobody knows.
        ['cost_units', 'bigint', 'null'],
        // An operator-queue order's cost per 1,000 units, copied from its service when placed.
        ['cost_per_1000_units', 'bigint', 'null'],
      ];
      for (const column of orderColumns) await add('orders', column);
      const serviceColumns: Column[] = [
        ['cost_per_1000_units', 'bigint', 'null'],
        // The upstream's figures as last seen, so a sync or re-import can tell what changed.
        ['upstream_rate', 'text', 'null'],
        ['upstream_name', 'text', 'null'],
        ['upstream_min', 'bigint', 'null'],
        ['upstream_max', 'bigint', 'null'],
        ['is_gone_upstream', 'integer', 'zero'],
      ];
      for (const column of serviceColumns) await add('services', column);
      const providerColumns: Column[] = [
        ['markup_basis_points', 'integer', ['default', 3000]],
        ['margin_floor_basis_points', 'integer', ['default', 1000]],
        ['on_low_margin', 'text', ['default', 'pause']],
        // EUR per unit of the provider's currency, × 1,000,000 (1.0 when it bills in EUR).
        ['eur_rate_micros', 'bigint', ['default', 1_000_000]],
        ['low_balance_units', 'bigint', 'null'],
        ['sync_lease_owner', 'text', 'null'],
        ['sync_lease_until', 'bigint', 'null'],
        ['last_sync_at', 'bigint', 'null'],
        ['last_sync_failure', 'text', 'null'],
        ['last_sync_changes_json', 'text', 'null'],
        ['balance_text', 'text', 'null'],
        ['balance_currency', 'text', 'null'],
        ['is_balance_low', 'integer', 'zero'],
      ];
      for (const column of providerColumns) await add('providers', column);
      // The report reads a period of orders by time and sums these columns: the index covers
      // them, so neither database visits the table rows.
      await db.schema
        .createIndex('orders_report')
        .on('orders')
        .columns(['created_at', 'service_id', 'account_id', 'charge_units', 'refunded_units', 'cost_units'])
        .execute();
    },
  };
}
