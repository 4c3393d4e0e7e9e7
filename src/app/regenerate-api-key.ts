import { DomainError } from '../domain/errors.js';
import { lockAccountRow } from '../storage/accounts-repository.js';
import { insertApiKey, revokeActiveKeys } from '../storage/api-keys-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import { generateApiKey } from './api-key-secrets.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';

/** A new key, shown once; the old one is revoked in the same transaction, so it stops at once. */
export async function regenerateApiKey(
  ctx: AppContext,
  options: { accountId: number; actor?: string },
): Promise<string> {
  const apiKey = generateApiKey();
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    // Two regenerations at once would each revoke, then both insert an active key (on PostgreSQL
    // the second insert broke api_keys_one_active_per_account): the row lock queues them, and
    // each shown key was the active one when its transaction committed.
    const account = await lockAccountRow(trx, options.accountId);
    if (!account) throw new DomainError('account_not_found');
    // A customer's key waits for their proven address; an operator may issue one regardless.
    if (!options.actor && account.email_verified_at === null) throw new DomainError('email_unverified');
    await revokeActiveKeys(trx, options.accountId, nowMs);
    await insertApiKey(trx, {
      accountId: options.accountId,
      keyHash: apiKey.keyHash,
      prefix: apiKey.prefix,
      createdAt: nowMs,
    });
    if (options.actor) {
      // Only an operator's regeneration is audited; a customer's own is their business.
      await appendAudit(trx, {
        actor: options.actor,
        action: 'account.key',
        targetAccountId: options.accountId,
        details: { prefix: apiKey.prefix },
        createdAt: nowMs,
      });
    }
    await enqueueMail(
      trx,
      { accountId: options.accountId },
      'api_key_regenerated',
      { prefix: apiKey.prefix },
      nowMs,
    );
  });
  // This node stops accepting the old key now; the others on the database's signal.
  ctx.apiKeys.dropAll();
  return apiKey.key;
}
