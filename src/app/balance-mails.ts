import { getBalanceUnits, rearmLowBalance, takeLowBalanceCrossing } from '../storage/accounts-repository.js';
import type { Executor } from '../storage/schema.js';
import { enqueueMail } from './enqueue-mail.js';

/**
 * The mails a balance change causes, inside its transaction. The low-balance mail goes once
 * per crossing: the flag set when it is queued is cleared only when money brings the balance
 * back to the threshold (or the customer saves a threshold again).
 */
export async function mailAfterDeposit(
  trx: Executor,
  options: { accountId: number; amountUnits: number; nowMs: number },
): Promise<void> {
  await rearmLowBalance(trx, options.accountId);
  const balanceUnits = Number((await getBalanceUnits(trx, options.accountId)) ?? 0);
  await enqueueMail(
    trx,
    { accountId: options.accountId },
    'deposit_credited',
    { amountUnits: options.amountUnits, balanceUnits },
    options.nowMs,
  );
}

/** After a debit (an order, a refund, a dispute): the low-balance mail if this one crossed it. */
export async function mailIfBalanceLow(trx: Executor, accountId: number, nowMs: number): Promise<void> {
  const crossing = await takeLowBalanceCrossing(trx, accountId);
  if (crossing) await enqueueMail(trx, { accountId }, 'low_balance', crossing, nowMs);
}
