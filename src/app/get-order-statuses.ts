import { DomainError } from '../domain/errors.js';
import { hashApiKey } from './api-key-secrets.js';
import { type ApiCaller, callerOf } from './authenticate-api-key.js';
import type { AppContext } from './context.js';
import { parseOrderId } from './order-ids.js';

/**
 * contract §7 and §2: the status of each requested order of an API key's account, keyed by the
 * id text as sent, as the JSON text `status` answers with (worded for the account's profile,
 * §13). An id that is malformed, unknown or another account's maps to undefined: the caller
 * cannot tell which. Read by the statement that also checks the key: a key revoked, an account
 * suspended or a profile changed on any node is seen by the very next request. The key is
 * checked even when no id is usable.
 */
export async function getOrderStatusesByKey(
  ctx: AppContext,
  options: { key: string | undefined; orderIds: string[] },
): Promise<{ caller: ApiCaller; answers: Map<string, string | undefined> }> {
  if (!options.key) throw new DomainError('unauthorized');
  const keyHash = hashApiKey(options.key);
  const parsed = options.orderIds.map(parseOrderId);
  const ids = parsed.filter((id) => id !== undefined);
  const read = await ctx.apiReads.statusesByKey(keyHash, ids);
  const caller = callerOf(ctx, keyHash, read.account);
  const answers = new Map<string, string | undefined>();
  options.orderIds.forEach((text, index) => {
    const id = parsed[index];
    answers.set(text, id === undefined ? undefined : read.answers.get(id));
  });
  return { caller, answers };
}
