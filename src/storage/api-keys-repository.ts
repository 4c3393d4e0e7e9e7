import type { Executor } from './schema.js';

/** Revokes every active key of the account; the next lookup by any of them finds nothing. */
export async function revokeActiveKeys(db: Executor, accountId: number, nowMs: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: nowMs })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function insertApiKey(
  db: Executor,
  key: { accountId: number; keyHash: string; prefix: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      account_id: key.accountId,
      key_hash: key.keyHash,
      prefix: key.prefix,
      created_at: key.createdAt,
      revoked_at: null,
    })
    .execute();
}

export function findActiveKey(
  db: Executor,
  accountId: number,
): Promise<{ prefix: string; created_at: number } | undefined> {
  return db
    .selectFrom('api_keys')
    .select(['prefix', 'created_at'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
