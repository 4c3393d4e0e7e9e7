import type { DepositLimits } from '../domain/payments.js';
import { findAccountById } from '../storage/accounts-repository.js';
import type { AppContext } from './context.js';

export interface FundingOptions {
  limits: DepositLimits;
  /** The methods offered: a method without its setting is not shown at all. */
  hasCard: boolean;
  hasBankTransfer: boolean;
  /** What a refund or a dispute could not debit: the next payment settles it first. */
  outstandingUnits: number;
  isSuspended: boolean;
}

/** What the Add funds page offers this customer, and what they owe. */
export async function getFundingOptions(
  ctx: AppContext,
  options: { accountId: number },
): Promise<FundingOptions> {
  const account = await findAccountById(ctx.db, options.accountId);
  return {
    limits: ctx.payments.limits,
    hasCard: ctx.payments.card !== null,
    hasBankTransfer: ctx.payments.bank !== null,
    outstandingUnits: Number(account?.outstanding_units ?? 0),
    isSuspended: account?.status === 'suspended',
  };
}
