import { CUSTOMER_MESSAGE_WINDOW_MS, checkCustomerRate } from '../domain/support.js';
import type { Executor } from '../storage/schema.js';
import { countCustomerMessagesSince } from '../storage/support-repository.js';

/**
 * The customer's rate limit, counted in the database. The caller holds the account's row lock
 * (or SQLite's write lock), so two messages posted at once are counted one after the other and
 * the limit holds across requests and server processes.
 */
export async function reserveCustomerMessage(trx: Executor, accountId: number, nowMs: number): Promise<void> {
  checkCustomerRate(await countCustomerMessagesSince(trx, accountId, nowMs - CUSTOMER_MESSAGE_WINDOW_MS));
}
