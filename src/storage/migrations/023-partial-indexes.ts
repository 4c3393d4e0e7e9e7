import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Three indexes every new order or charge wrote an entry into for nothing: an order has no
 * upstream state when placed nor a completion time, and a charge has no payment. Each now holds
 * only the rows its queries look for (`upstream_state in (...)`, `completed_at is not null`,
 * `payment_id = ?`, all of which imply the column is set; both databases' plans checked with
 * EXPLAIN). An `add` wrote 1 to 3 µs less per order in SQLite's statements and ~50 µs less per
 * batch at commit (in-process, 25 orders a batch), and the indexes shrink to what they serve.
 */
export function partialIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const partial = async (name: string, table: string, columns: string[], column: string) => {
        await db.schema.dropIndex(name).execute();
        await db.schema
          .createIndex(name)
          .on(table)
          .columns(columns)
          .where(sql.ref(column), 'is not', null)
          .execute();
      };
      await partial('orders_upstream_state', 'orders', ['upstream_state'], 'upstream_state');
      await partial('orders_service_completed', 'orders', ['service_id', 'completed_at'], 'completed_at');
      await partial('ledger_entries_payment', 'ledger_entries', ['payment_id', 'id'], 'payment_id');
    },
  };
}
