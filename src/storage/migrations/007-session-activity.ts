import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Sessions end after 12 hours unused as well as after a week (src/app/web-session-tokens.ts);
 * the account page lists them by device, so each keeps its last use, its address and a
 * truncated user agent. Sessions from before this migration count as used when created.
 */
export function sessionActivityMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('web_sessions')
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('web_sessions').addColumn('ip', 'text').execute();
      await db.schema.alterTable('web_sessions').addColumn('user_agent', 'text').execute();
      await sql`update web_sessions set last_seen_at = created_at`.execute(db);
    },
  };
}
