import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * SQLite: a one-row stamp every change of `services` moves, in the same transaction, whoever
 * makes it (triggers, as 014 does for keys), so an API node may keep the service rows `add`
 * reads and know with one cheap read when they may have changed (api-reads.ts). A random stamp,
 * not a counter, as in 014: a stamp seen inside a transaction later rolled back never comes back
 * for another change. PostgreSQL reads the services of a turn's `add`s in one statement and
 * keeps none.
 */
export function serviceChangesMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'sqlite') return;
      await sql`create table service_changes (id integer primary key check (id = 1), stamp integer not null)`.execute(
        db,
      );
      await sql`insert into service_changes (id, stamp) values (1, random())`.execute(db);
      const bump = sql.raw('update service_changes set stamp = random() where id = 1;');
      await sql`create trigger services_changed_insert after insert on services begin ${bump} end`.execute(
        db,
      );
      await sql`create trigger services_changed_update after update on services begin ${bump} end`.execute(
        db,
      );
      await sql`create trigger services_changed_delete after delete on services begin ${bump} end`.execute(
        db,
      );
    },
  };
}
