import type { AccountTokenPurpose, Executor } from './schema.js';

export async function insertAccountToken(
  db: Executor,
  token: {
    accountId: number;
    purpose: AccountTokenPurpose;
    tokenHash: string;
    nowMs: number;
    expiresAt: number;
  },
): Promise<void> {
  await db
    .insertInto('account_tokens')
    .values({
      account_id: token.accountId,
      purpose: token.purpose,
      token_hash: token.tokenHash,
      created_at: token.nowMs,
      expires_at: token.expiresAt,
      used_at: null,
    })
    .execute();
}

/**
 * Uses the token once: a conditional update, so of two requests carrying it only one gets the
 * account back. Undefined for an unknown, used, expired or other-purpose token.
 */
export async function useAccountToken(
  db: Executor,
  options: { purpose: AccountTokenPurpose; tokenHash: string; nowMs: number },
): Promise<number | undefined> {
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: options.nowMs })
    .where('token_hash', '=', options.tokenHash)
    .where('purpose', '=', options.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', options.nowMs)
    .returning('account_id')
    .executeTakeFirst();
  return row ? Number(row.account_id) : undefined;
}

/** Whether the token would be accepted now (the reset form checks before asking for a password). */
export async function isAccountTokenUsable(
  db: Executor,
  options: { purpose: AccountTokenPurpose; tokenHash: string; nowMs: number },
): Promise<boolean> {
  const row = await db
    .selectFrom('account_tokens')
    .select('id')
    .where('token_hash', '=', options.tokenHash)
    .where('purpose', '=', options.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', options.nowMs)
    .executeTakeFirst();
  return row !== undefined;
}

/** A new token replaces the account's earlier ones of the same purpose. */
export async function expireAccountTokens(
  db: Executor,
  options: { accountId: number; purpose: AccountTokenPurpose; nowMs: number },
): Promise<void> {
  await db
    .updateTable('account_tokens')
    .set({ used_at: options.nowMs })
    .where('account_id', '=', options.accountId)
    .where('purpose', '=', options.purpose)
    .where('used_at', 'is', null)
    .execute();
}
