import type { Kysely, Migration } from 'kysely';

/**
 * Drip-feed (contract §13): a service may take `runs` and `interval`; such an order keeps its
 * schedule on the order row and one row per run in `order_runs`, written in the same
 * transaction as each step of the order, so the runs always agree with the order's delivery.
 */
export function dripFeedMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('services')
        .addColumn('is_dripfeed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // SQLite takes one ADD COLUMN per ALTER TABLE. null on an ordinary order.
      await db.schema.alterTable('orders').addColumn('runs', 'integer').execute();
      await db.schema.alterTable('orders').addColumn('interval_minutes', 'integer').execute();
      await db.schema
        .createTable('order_runs')
        .addColumn('order_id', 'bigint', (c) => c.notNull().references('orders.id'))
        .addColumn('run_number', 'integer', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('delivered', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('upstream_order_id', 'text')
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addPrimaryKeyConstraint('order_runs_pk', ['order_id', 'run_number'])
        .execute();
    },
  };
}
