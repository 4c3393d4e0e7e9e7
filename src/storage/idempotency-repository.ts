import type { Executor } from './schema.js';

export function findIdempotencyRecord(
  db: Executor,
  accountId: number,
  key: string,
): Promise<{ request_hash: string; response_json: string; created_at: number } | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_json', 'created_at'])
    .where('account_id', '=', accountId)
    .where('idem_key', '=', key)
    .executeTakeFirst();
}

/** Deletes the key's record only if it was created before `olderThanMs` (an expired one). */
export async function deleteExpiredIdempotencyRecord(
  db: Executor,
  accountId: number,
  key: string,
  olderThanMs: number,
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('account_id', '=', accountId)
    .where('idem_key', '=', key)
    .where('created_at', '<=', olderThanMs)
    .execute();
}

export async function insertIdempotencyRecord(
  db: Executor,
  record: { accountId: number; key: string; requestHash: string; responseJson: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({
      account_id: record.accountId,
      idem_key: record.key,
      request_hash: record.requestHash,
      response_json: record.responseJson,
      created_at: record.createdAt,
    })
    .execute();
}
