import { DomainError } from '../domain/errors.js';
import { checkDepositAmount } from '../domain/payments.js';
import { lockAccountRow } from '../storage/accounts-repository.js';
import { countOpenTransfers } from '../storage/payments-repository.js';
import type { PaymentRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { insertPendingPayment } from './payment-records.js';
import type { BankAccount } from './payment-settings.js';

/**
 * A bank-transfer top-up: a pending payment with its own reference, for the customer to quote
 * in the transfer; credited when the operator confirms the money arrived.
 */
export async function requestBankTransfer(
  ctx: AppContext,
  options: { accountId: number; amountUnits: number | undefined },
): Promise<{ payment: PaymentRow; bank: BankAccount }> {
  const bank = ctx.payments.bank;
  if (!bank) throw new DomainError('payment_method_unavailable', { method: 'bank_transfer' });
  const amountUnits = checkDepositAmount(options.amountUnits, ctx.payments.limits);
  const nowMs = ctx.clock.now();
  const payment = await ctx.db.transaction().execute(async (trx) => {
    // The account row's lock makes the cap hold when one customer submits twice at once.
    const account = await lockAccountRow(trx, options.accountId);
    if (!account) throw new DomainError('account_not_found');
    const open = await countOpenTransfers(trx, account.id);
    if (open >= ctx.payments.maxOpenTransfers) {
      throw new DomainError('too_many_open_transfers', { max: ctx.payments.maxOpenTransfers });
    }
    return insertPendingPayment(trx, {
      accountId: account.id,
      method: 'bank_transfer',
      amountUnits,
      actor: null,
      nowMs,
    });
  });
  return { payment, bank };
}
