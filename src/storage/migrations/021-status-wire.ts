import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * `orders.status_wire`: what `status` answers for the order (contract §7's object, as the
 * `inspiria` profile words it), kept by the database on every write of the order, so a batch
 * of a hundred is one indexed read of a hundred stored texts (api-reads.ts) instead of a
 * hundred rows read, parsed and formatted again on every poll (npm run bench, `status ×100`).
 * The database, not each write path, keeps it: PostgreSQL as a stored generated column,
 * SQLite (which cannot add a stored one to an existing table) by triggers. The text must be
 * byte for byte what JSON.stringify gives for the contract's object: test/status-wire.test.ts
 * holds both databases to that over every status and edge value.
 */
export function statusWireMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind === 'postgres') {
        await sql`alter table orders add column status_wire text
          generated always as (${statusWireOf('', 'postgres')}) stored`.execute(db);
        return;
      }
      await sql`alter table orders add column status_wire text`.execute(db);
      await sql`update orders set status_wire = ${statusWireOf('', 'sqlite')}`.execute(db);
      // An insert may write it itself (order-batch-sqlite.ts, sparing the row's second write).
      await sql`create trigger orders_status_wire_insert after insert on orders when new.status_wire is null
        begin update orders set status_wire = ${statusWireOf('new.', 'sqlite')} where id = new.id; end`.execute(
        db,
      );
      await sql`create trigger orders_status_wire_update
        after update of charge_units, refunded_units, start_count, status, remains on orders
        begin update orders set status_wire = ${statusWireOf('new.', 'sqlite')} where id = new.id; end`.execute(
        db,
      );
    },
  };
}

/**
 * `{"charge":"0.0350","start_count":"0","status":"Pending","remains":"100","currency":"EUR"}`:
 * the charge net of refunds in EUR with four decimals (formatUnits; never negative, by the
 * orders_refund_within_charge check), every other figure as its decimal text. Status words
 * need no escaping (ORDER_STATUSES). PostgreSQL casts each number itself: `text || bigint` is
 * only stable, and a generated column's expression must be immutable.
 */
function statusWireOf(row: '' | 'new.', kind: DatabaseKind): RawBuilder<string> {
  // Parenthesised on SQLite too: there `||` binds tighter than `/` and `%`.
  const asText = (expression: string) => (kind === 'postgres' ? `(${expression})::text` : `(${expression})`);
  const net = `(${row}charge_units - ${row}refunded_units)`;
  return sql.raw(
    `'{"charge":"' || ${asText(`${net} / 10000`)} || '.' || substr(${asText(`${net} % 10000 + 10000`)}, 2)` +
      ` || '","start_count":"' || ${asText(`${row}start_count`)} || '","status":"' || ${row}status` +
      ` || '","remains":"' || ${asText(`${row}remains`)} || '","currency":"EUR"}'`,
  );
}
