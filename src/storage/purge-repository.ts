import type { Executor } from './schema.js';

/**
 * Deletions of expired rows, each of at most `limit` rows found through a time index: one
 * short statement (its own transaction) however large the backlog, so a purge never holds
 * the SQLite write lock, or PostgreSQL row locks, for long. Each returns the rows deleted.
 */
export async function purgeIdempotencyRecords(
  db: Executor,
  options: { createdBeforeMs: number; limit: number },
): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where((eb) =>
      eb(
        eb.refTuple('account_id', 'idem_key'),
        'in',
        eb
          .selectFrom('idempotency_keys')
          .select(['account_id', 'idem_key'])
          .where('created_at', '<=', options.createdBeforeMs)
          .limit(options.limit)
          .$asTuple('account_id', 'idem_key'),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sessions past their lifetime (`expires_at`) or unused since `idleSinceMs`. */
export async function purgeSessions(
  db: Executor,
  options: { nowMs: number; idleSinceMs: number; limit: number },
): Promise<number> {
  let deleted = 0;
  for (const [column, beforeMs] of [
    ['expires_at', options.nowMs],
    ['last_seen_at', options.idleSinceMs],
  ] as const) {
    const result = await db
      .deleteFrom('web_sessions')
      .where(
        'token_hash',
        'in',
        db
          .selectFrom('web_sessions')
          .select('token_hash')
          .where(column, '<=', beforeMs)
          .limit(options.limit - deleted),
      )
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
    if (deleted >= options.limit) break;
  }
  return deleted;
}

export async function purgePasswordAttempts(
  db: Executor,
  options: { createdBeforeMs: number; limit: number },
): Promise<number> {
  const result = await db
    .deleteFrom('password_attempts')
    .where(
      'id',
      'in',
      db
        .selectFrom('password_attempts')
        .select('id')
        .where('created_at', '<=', options.createdBeforeMs)
        .limit(options.limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
