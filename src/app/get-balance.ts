import { readBalanceUnits } from '../storage/accounts-repository.js';
import type { AppContext } from './context.js';

/** contract §12: the balance as it stands now, read afresh (the key cache never holds it). */
export async function getBalance(ctx: AppContext, options: { accountId: number }): Promise<number> {
  return (await readBalanceUnits(ctx.db, options.accountId)) ?? 0;
}
