import type { Executor, TwoFactorRow } from './schema.js';

export async function findTwoFactor(db: Executor, accountId: number): Promise<TwoFactorRow | undefined> {
  return db.selectFrom('two_factor').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

export async function isTwoFactorEnabled(db: Executor, accountId: number): Promise<boolean> {
  const row = await db
    .selectFrom('two_factor')
    .select('enabled_at')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.enabled_at != null;
}

/** A new, not yet confirmed secret (replacing an earlier unconfirmed one). */
export async function saveUnconfirmedSecret(
  db: Executor,
  row: { accountId: number; secretSealed: string; createdAt: number },
): Promise<void> {
  await db
    .deleteFrom('two_factor')
    .where('account_id', '=', row.accountId)
    .where('enabled_at', 'is', null)
    .execute();
  await db
    .insertInto('two_factor')
    .values({ account_id: row.accountId, secret_sealed: row.secretSealed, created_at: row.createdAt })
    .execute();
}

export async function markTwoFactorEnabled(
  db: Executor,
  row: { accountId: number; step: number; nowMs: number },
): Promise<boolean> {
  const result = await db
    .updateTable('two_factor')
    .set({ enabled_at: row.nowMs, last_used_step: row.step })
    .where('account_id', '=', row.accountId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records that the code of `step` was used, only if no code of that step or a later one was:
 * of two requests carrying the same code, exactly one wins.
 */
export async function claimTotpStep(db: Executor, accountId: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable('two_factor')
    .set({ last_used_step: step })
    .where('account_id', '=', accountId)
    .where('last_used_step', '<', step)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes the second factor, its recovery codes and pending sign-ins of the account. */
export async function deleteTwoFactor(db: Executor, accountId: number): Promise<boolean> {
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await db.deleteFrom('pending_sign_ins').where('account_id', '=', accountId).execute();
  const result = await db.deleteFrom('two_factor').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function replaceRecoveryCodes(
  db: Executor,
  accountId: number,
  codeHashes: readonly string[],
): Promise<void> {
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codeHashes.map((code_hash) => ({ code_hash, account_id: accountId, used_at: null })))
    .execute();
}

/** Spends an unused recovery code of the account; false when it is unknown or already spent. */
export async function useRecoveryCode(
  db: Executor,
  row: { accountId: number; codeHash: string; nowMs: number },
): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: row.nowMs })
    .where('code_hash', '=', row.codeHash)
    .where('account_id', '=', row.accountId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertPendingSignIn(
  db: Executor,
  row: { tokenHash: string; accountId: number; createdAt: number; expiresAt: number },
): Promise<void> {
  await db.deleteFrom('pending_sign_ins').where('expires_at', '<=', row.createdAt).execute();
  await db
    .insertInto('pending_sign_ins')
    .values({
      token_hash: row.tokenHash,
      account_id: row.accountId,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

export async function findPendingSignIn(
  db: Executor,
  tokenHash: string,
  nowMs: number,
): Promise<{ accountId: number } | undefined> {
  const row = await db
    .selectFrom('pending_sign_ins')
    .select('account_id')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', nowMs)
    .executeTakeFirst();
  return row ? { accountId: Number(row.account_id) } : undefined;
}

/** Ends a pending sign-in; true for the one request that ended it. */
export async function deletePendingSignIn(db: Executor, tokenHash: string): Promise<boolean> {
  const result = await db
    .deleteFrom('pending_sign_ins')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
