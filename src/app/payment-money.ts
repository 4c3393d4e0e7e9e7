import { DomainError } from '../domain/errors.js';
import { OUTSTANDING_SETTLED_NOTE } from '../domain/ledger-notes.js';
import { formatUnits } from '../domain/money.js';
import {
  formatReceiptNumber,
  newReversalUnits,
  type PaymentStatus,
  romeYear,
  splitDebit,
} from '../domain/payments.js';
import {
  addOutstandingUnits,
  lockAccountRow,
  setSuspendedForOutstanding,
} from '../storage/accounts-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import { postLedgerEntry } from '../storage/ledger-repository.js';
import { nextReceiptSequence, updatePayment, updatePaymentIf } from '../storage/payments-repository.js';
import type { Executor, PaymentRow } from '../storage/schema.js';
import { mailAfterDeposit, mailIfBalanceLow } from './balance-mails.js';
import { enqueueMail } from './enqueue-mail.js';

/**
 * The two ways a payment moves money, each inside the caller's transaction: crediting it
 * (once) and reversing part of it. Every payment use case goes through these, so the ledger
 * rules live in one place.
 */

export interface Credit {
  payment: PaymentRow;
  creditedUnits: number;
  /** The statuses the payment may be credited from; any other means someone else was first. */
  fromStatuses: readonly PaymentStatus[];
  actor: string;
  nowMs: number;
  extra?: { stripe_payment_intent_id?: string | null; note?: string | null };
  /** The ledger's words for the deposit; by default the payment's reference. */
  reason?: string;
}

/**
 * Marks the payment succeeded, books its deposit and its receipt number, and settles what
 * the customer owed from it. Returns false, having written nothing, when the payment was no
 * longer in `fromStatuses` (a duplicate or a race: the other one credited it).
 */
export async function creditPayment(trx: Executor, credit: Credit): Promise<boolean> {
  const { payment, creditedUnits, nowMs } = credit;
  if (!Number.isSafeInteger(creditedUnits) || creditedUnits <= 0) {
    throw new DomainError('amount_invalid');
  }
  const isFirst = await updatePaymentIf(trx, payment.id, credit.fromStatuses, {
    status: 'succeeded',
    credited_units: creditedUnits,
    succeeded_at: nowMs,
    updated_at: nowMs,
    ...credit.extra,
  });
  if (!isFirst) return false;
  // Numbered in the same transaction: a rollback takes the number back, so the year has no gap.
  const year = romeYear(nowMs);
  const receiptNumber = formatReceiptNumber(year, await nextReceiptSequence(trx, year));
  await updatePayment(trx, payment.id, { receipt_number: receiptNumber });
  await postLedgerEntry(trx, {
    accountId: payment.account_id,
    kind: 'deposit',
    amountUnits: creditedUnits,
    paymentId: payment.id,
    reason: credit.reason ?? `payment ${payment.reference}`,
    actor: credit.actor,
    createdAt: nowMs,
  });
  await settleOutstanding(trx, payment, credit.actor, nowMs);
  await mailAfterDeposit(trx, { accountId: payment.account_id, amountUnits: creditedUnits, nowMs });
  return true;
}

/** An adjustment taking `debitUnits` from the balance, booked against the payment that caused it. */
function debitForPayment(
  trx: Executor,
  debit: { payment: PaymentRow; debitUnits: number; reason: string; actor: string; nowMs: number },
) {
  return postLedgerEntry(trx, {
    accountId: debit.payment.account_id,
    kind: 'adjustment',
    amountUnits: -debit.debitUnits,
    paymentId: debit.payment.id,
    reason: debit.reason,
    actor: debit.actor,
    createdAt: debit.nowMs,
  });
}

/** A deposit first pays what the customer owed; settling it in full lifts the panel's suspension. */
async function settleOutstanding(
  trx: Executor,
  payment: PaymentRow,
  actor: string,
  nowMs: number,
): Promise<void> {
  const account = await lockAccountRow(trx, payment.account_id);
  if (!account || Number(account.outstanding_units) === 0) return;
  const owed = Number(account.outstanding_units);
  const { debitUnits, outstandingUnits } = splitDebit(Number(account.balance_units), owed);
  if (debitUnits > 0) {
    await debitForPayment(trx, { payment, debitUnits, reason: OUTSTANDING_SETTLED_NOTE, actor, nowMs });
    await addOutstandingUnits(trx, payment.account_id, -debitUnits);
  }
  if (outstandingUnits === 0 && account.is_suspended_for_outstanding === 1) {
    await setSuspendedForOutstanding(trx, payment.account_id, false);
    await appendAudit(trx, {
      actor,
      action: 'account.unsuspend',
      targetAccountId: payment.account_id,
      details: { reason: OUTSTANDING_SETTLED_NOTE, settled: formatUnits(owed) },
      createdAt: nowMs,
    });
  }
}

export interface Reversal {
  payment: PaymentRow;
  /** Cumulative figures as the processor now reports them. */
  refundedUnits: number;
  lostDisputeUnits: number;
  status: PaymentStatus;
  reason: string;
  actor: string;
  nowMs: number;
  extra?: { dispute_status?: string | null; disputed_units?: number; stripe_charge_id?: string | null };
}

/**
 * Takes back what a refund or a lost dispute newly reverses: from the balance as far as it
 * goes, the rest recorded as owed with the account suspended until it is settled. Reported
 * again, the same cumulative figures reverse nothing more.
 */
export async function reversePayment(trx: Executor, reversal: Reversal): Promise<number> {
  const { payment, nowMs } = reversal;
  const reversedBefore = Number(payment.reversed_units);
  const owedUnits = newReversalUnits({
    creditedUnits: Number(payment.credited_units),
    reversedUnits: reversedBefore,
    refundedUnits: reversal.refundedUnits,
    lostDisputeUnits: reversal.lostDisputeUnits,
  });
  await updatePayment(trx, payment.id, {
    status: reversal.status,
    refunded_units: Math.max(Number(payment.refunded_units), reversal.refundedUnits),
    reversed_units: reversedBefore + owedUnits,
    updated_at: nowMs,
    ...reversal.extra,
  });
  if (owedUnits === 0) return 0;
  const account = await lockAccountRow(trx, payment.account_id);
  if (!account) throw new DomainError('account_not_found');
  const { debitUnits, outstandingUnits } = splitDebit(Number(account.balance_units), owedUnits);
  if (debitUnits > 0) {
    await debitForPayment(trx, {
      payment,
      debitUnits,
      reason: reversal.reason,
      actor: reversal.actor,
      nowMs,
    });
  }
  if (outstandingUnits > 0) {
    await addOutstandingUnits(trx, payment.account_id, outstandingUnits);
    if (account.status === 'active') {
      await setSuspendedForOutstanding(trx, payment.account_id, true);
    }
    await appendAudit(trx, {
      actor: reversal.actor,
      action: 'account.outstanding',
      targetAccountId: payment.account_id,
      details: {
        payment: payment.reference,
        reason: reversal.reason,
        debited: formatUnits(debitUnits),
        outstanding: formatUnits(Number(account.outstanding_units) + outstandingUnits),
        suspended: account.status === 'active' ? 'yes' : 'already',
      },
      createdAt: nowMs,
    });
  }
  const reason = reversal.lostDisputeUnits > 0 ? 'dispute' : 'refund';
  await enqueueMail(
    trx,
    { accountId: payment.account_id },
    'money_debited',
    { amountUnits: owedUnits, reason },
    nowMs,
  );
  await mailIfBalanceLow(trx, payment.account_id, nowMs);
  return owedUnits;
}
