import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * `order_status_stamps`: per account, a stamp every change of what `status` answers for one of
 * its orders moves, in the same transaction, whoever makes it (the worker, a cancel, the admin,
 * another process or node): triggers, so no write path can forget. An API node keeps the last
 * answer of a batch a key polled with the stamp it was read under, and the next poll's
 * statement reads only the stamp while it is unchanged (api-reads.ts, status-answers-kept.ts):
 * a panel polls the same hundred orders all day, and most polls find nothing changed.
 *
 * Watched: the answer's text (`status_wire`, which follows the charge, refunds, start count,
 * status and remains), the quantity (the `perfectpanel` profile words an `Error` by it), the
 * owner, and deletion. Not an insert: an answer is kept only when every id asked was found, and
 * a new order's id was never one of them. An account without a row has the stamp 0.
 *
 * The stamp is a new value each time, never a counter: a reader that saw a change later rolled
 * back must never meet that same value again for another, committed change (as 014 and 022).
 * PostgreSQL takes it from a sequence; SQLite from random(), shifted to a safe integer so that
 * node passes it back exactly.
 *
 * PostgreSQL: the triggers are deferred to the commit. The stamp's row is locked from its
 * update to the commit, and a worker's transaction steps a whole claimed group: bumped at the
 * first step, two workers on one account's orders waited for each other's whole group (npm run
 * bench, engine, two workers on one account: 2,100 → 1,500 steps/s). Deferred, they meet only
 * for the commit (1,860-1,930 against 1,950-2,100 without the triggers, alternating runs), and
 * with one stamp per account and transaction: 2,020-2,100 against 1,970-2,080.
 */
export function orderStatusStampsMigration(kind: DatabaseKind): Migration {
  return { up: (db: Kysely<unknown>) => (kind === 'sqlite' ? upSqlite(db) : upPostgres(db)) };
}

const stampOf = (kind: DatabaseKind) =>
  kind === 'sqlite' ? '(random() >> 11)' : "nextval('order_status_stamp_values')";

/** The upsert reads a WHERE (SQLite needs one before ON CONFLICT in an insert from a select). */
const bumpFor = (kind: DatabaseKind, accountId: string, when = '1 = 1') =>
  sql.raw(`insert into order_status_stamps (account_id, stamp) select ${accountId}, ${stampOf(kind)}
    where ${when} on conflict (account_id) do update set stamp = excluded.stamp;`);

/** Only a change of a text a reader could have kept: SQLite's insert fills status_wire from null. */
const ANSWER_CHANGED = {
  sqlite: sql.raw(`(old.status_wire is not null and old.status_wire is not new.status_wire)
    or old.quantity is not new.quantity or old.account_id is not new.account_id`),
  postgres: sql.raw(`(old.status_wire is distinct from new.status_wire
    or old.quantity is distinct from new.quantity or old.account_id is distinct from new.account_id)`),
};

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create table order_status_stamps (account_id integer primary key, stamp integer not null)`.execute(
    db,
  );
  await sql`create trigger orders_status_stamp_update after update on orders when ${ANSWER_CHANGED.sqlite}
    begin ${bumpFor('sqlite', 'new.account_id')}
      ${bumpFor('sqlite', 'old.account_id', 'old.account_id is not new.account_id')} end`.execute(db);
  await sql`create trigger orders_status_stamp_delete after delete on orders
    begin ${bumpFor('sqlite', 'old.account_id')} end`.execute(db);
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence order_status_stamp_values`.execute(db);
  await sql`create table order_status_stamps (account_id int8 primary key, stamp int8 not null)`.execute(db);
  // One new stamp per account and transaction is enough (its changes commit together): a
  // stamp row this transaction already wrote (its xmin) is left as it is, rather than
  // written again for every order of a worker's group.
  await sql`create function inspiria_order_status_bump(account int8) returns void language plpgsql as $$
    begin
      perform 1 from order_status_stamps where account_id = account and xmin = pg_current_xact_id()::xid;
      if not found then
        ${bumpFor('postgres', 'account')}
      end if;
    end $$`.execute(db);
  await sql`create function inspiria_order_status_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then
        perform inspiria_order_status_bump(new.account_id);
      end if;
      if tg_op = 'DELETE' or old.account_id is distinct from new.account_id then
        perform inspiria_order_status_bump(old.account_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger orders_status_stamp_update after update on orders
    deferrable initially deferred for each row when ${ANSWER_CHANGED.postgres} execute function inspiria_order_status_changed()`.execute(
    db,
  );
  await sql`create constraint trigger orders_status_stamp_delete after delete on orders
    deferrable initially deferred for each row execute function inspiria_order_status_changed()`.execute(db);
}
