import { type Kysely, type Migration, sql } from 'kysely';

/**
 * contract §13: each account's compatibility profile for /api/v2. It is kept on the account,
 * not on the key, so regenerating the key keeps it.
 */
export function apiProfileMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('accounts')
        .addColumn('api_profile', 'text', (c) =>
          c.notNull().defaultTo('inspiria').check(sql`api_profile in ('inspiria', 'perfectpanel')`),
        )
        .execute();
    },
  };
}
