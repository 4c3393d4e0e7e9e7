import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';

/**
 * API nodes cache what a key lookup found (src/storage/api-key-changes.ts). Every change that
 * could make a cached answer wrong (a key revoked or deleted; an account's status, role or
 * profile changed, or the account deleted) is signalled by the database itself, in the same
 * transaction, whoever makes it (API node, web, CLI, another process): triggers, so no code
 * path can forget. PostgreSQL notifies the listening nodes at commit; SQLite stamps a one-row
 * table every process reads cheaply. Balance changes signal nothing: balance is not cached.
 */
export function apiKeyChangesMigration(kind: DatabaseKind): Migration {
  return { up: (db: Kysely<unknown>) => (kind === 'sqlite' ? upSqlite(db) : upPostgres(db)) };
}

const WATCHED_ACCOUNT_CHANGE = sql.raw(
  'old.status is not new.status or old.role is not new.role or old.api_profile is not new.api_profile',
);

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create table api_key_changes (id integer primary key check (id = 1), stamp integer not null)`.execute(
    db,
  );
  await sql`insert into api_key_changes (id, stamp) values (1, 0)`.execute(db);
  // A random stamp, not a counter: a reader that saw a change later rolled back must never meet
  // that same value again for a different, committed change.
  const bump = sql.raw('update api_key_changes set stamp = random() where id = 1;');
  await sql`create trigger api_keys_changed_update after update on api_keys begin ${bump} end`.execute(db);
  await sql`create trigger api_keys_changed_delete after delete on api_keys begin ${bump} end`.execute(db);
  await sql`create trigger accounts_key_state_changed after update of status, role, api_profile on accounts
    when ${WATCHED_ACCOUNT_CHANGE} begin ${bump} end`.execute(db);
  await sql`create trigger accounts_deleted_key_state after delete on accounts begin ${bump} end`.execute(db);
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await sql`create function inspiria_api_key_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('inspiria_api_key_changes', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger api_keys_changed after update or delete on api_keys
    for each statement execute function inspiria_api_key_changed()`.execute(db);
  await sql`create trigger accounts_key_state_changed after update of status, role, api_profile on accounts
    for each row when (old.status is distinct from new.status or old.role is distinct from new.role
      or old.api_profile is distinct from new.api_profile)
    execute function inspiria_api_key_changed()`.execute(db);
  await sql`create trigger accounts_deleted_key_state after delete on accounts
    for each statement execute function inspiria_api_key_changed()`.execute(db);
}
