import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Issue 11: the operator's description of a service in each language (shown beside the
 * average time in the catalog), and when an order completed, so the average time is measured
 * from placement to completion. Orders completed before this migration ended with their last
 * update (Completed is final), so that time is theirs.
 */
export function orderPageMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('services').addColumn('description_it', 'text').execute();
      await db.schema.alterTable('services').addColumn('description_en', 'text').execute();
      await db.schema.alterTable('orders').addColumn('completed_at', 'bigint').execute();
      await sql`update orders set completed_at = updated_at where status = 'Completed'`.execute(db);
      // The average time reads the latest completed orders of one service.
      await db.schema
        .createIndex('orders_service_completed')
        .on('orders')
        .columns(['service_id', 'completed_at'])
        .execute();
    },
  };
}
