import { sql } from 'kysely';
import type { Executor } from './schema.js';

/** A trivial round trip: the database answers. Throws when it does not. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Orders per status word; read through the (status, id) index, one range per status. */
export async function countOrdersByStatus(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('orders')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.n)]));
}
