import { DomainError } from '../domain/errors.js';
import { getBalanceUnits } from '../storage/accounts-repository.js';
import type { AppContext } from './context.js';

export async function getBalance(ctx: AppContext, options: { accountId: number }): Promise<number> {
  const balanceUnits = await getBalanceUnits(ctx.db, options.accountId);
  if (balanceUnits === undefined) throw new DomainError('not_found');
  return balanceUnits;
}
