import { type CompiledQuery, Kysely, type KyselyConfig } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';

/**
 * Kysely over a PostgreSQL storage's pool, which it also hands out: the statement that stores a
 * batch of orders (order-batch-repository.ts) has the same text whatever the batch, so it runs
 * as a named prepared statement, parsed and planned once per connection instead of for every
 * batch. Every other statement goes through Kysely as usual.
 */
export class PostgresKysely extends Kysely<Database> {
  constructor(
    config: KyselyConfig,
    readonly pool: pg.Pool,
  ) {
    super(config);
  }

  /**
   * `query` prepared once per connection under `name`. The text must be the same each time: a
   * connection that prepared `name` with another text refuses it.
   */
  async executePrepared<R>(name: string, query: CompiledQuery<R>): Promise<R[]> {
    const result = await this.pool.query({ name, text: query.sql, values: [...query.parameters] });
    return result.rows as R[];
  }
}
