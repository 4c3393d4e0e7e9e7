import { DomainError } from '../domain/errors.js';
import { formatUnits, MAX_UNITS } from '../domain/money.js';
import { getBalanceUnits, lockAccountRow } from '../storage/accounts-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import { postLedgerEntry } from '../storage/ledger-repository.js';
import { mailIfBalanceLow } from './balance-mails.js';
import type { AppContext } from './context.js';
import { recordManualPayment } from './payment-records.js';

export interface CreditResult {
  accountId: number;
  balanceBeforeUnits: number;
  balanceAfterUnits: number;
}

/**
 * An operator's credit (positive) or debit (negative) with a mandatory reason: a ledger
 * entry, and an audit record naming who did it, the amounts before and after, and when.
 * A debit never takes the balance below zero.
 */
export async function creditAccount(
  ctx: AppContext,
  options: { accountId: number; amountUnits: number; reason: string; actor: string },
): Promise<CreditResult> {
  const reason = options.reason.trim();
  if (reason === '') throw new DomainError('reason_required');
  const amount = options.amountUnits;
  if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > MAX_UNITS) {
    throw new DomainError('amount_invalid');
  }
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const account = await lockAccountRow(trx, options.accountId);
    if (!account) throw new DomainError('account_not_found');
    // The account row is locked above, so the balance read there is the one before.
    const balanceBeforeUnits = Number(account.balance_units);
    if (amount < 0) {
      // A debit is an adjustment; money in is a payment recorded by hand, so that every
      // deposit in the ledger names its payment.
      const posted = await postLedgerEntry(trx, {
        accountId: account.id,
        kind: 'adjustment',
        amountUnits: amount,
        reason,
        actor: options.actor,
        createdAt: nowMs,
      });
      if (!posted.isApplied) {
        throw new DomainError('insufficient_balance', {
          requiredUnits: -amount,
          availableUnits: posted.balanceUnits,
        });
      }
      // Like an order's charge, an operator's debit that crosses the customer's threshold warns them.
      await mailIfBalanceLow(trx, account.id, nowMs);
    } else {
      await recordManualPayment(trx, {
        accountId: account.id,
        amountUnits: amount,
        note: reason,
        actor: options.actor,
        nowMs,
      });
    }
    const balanceAfterUnits = (await getBalanceUnits(trx, account.id)) ?? 0;
    await appendAudit(trx, {
      actor: options.actor,
      action: amount > 0 ? 'account.credit' : 'account.debit',
      targetAccountId: account.id,
      details: {
        amount: formatUnits(amount),
        balanceBefore: formatUnits(balanceBeforeUnits),
        balanceAfter: formatUnits(balanceAfterUnits),
        reason,
      },
      createdAt: nowMs,
    });
    return { accountId: account.id, balanceBeforeUnits, balanceAfterUnits };
  });
}
