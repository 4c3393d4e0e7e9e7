import { randomBytes } from 'node:crypto';
import { newPaymentReference } from '../domain/payment-reference.js';
import type { PaymentMethod } from '../domain/payments.js';
import { findPaymentByReference, insertPayment } from '../storage/payments-repository.js';
import type { Executor, PaymentRow } from '../storage/schema.js';
import { creditPayment } from './payment-money.js';

/** A new pending payment with a reference no other payment has. */
export async function insertPendingPayment(
  trx: Executor,
  options: {
    accountId: number;
    method: PaymentMethod;
    amountUnits: number;
    actor: string | null;
    nowMs: number;
  },
): Promise<PaymentRow> {
  let reference = newPaymentReference(randomBytes);
  // 31^6 references: a clash is rare, and checked rather than left to abort the transaction.
  while (await findPaymentByReference(trx, reference)) reference = newPaymentReference(randomBytes);
  return insertPayment(trx, {
    account_id: options.accountId,
    method: options.method,
    status: 'pending',
    amount_units: options.amountUnits,
    reference,
    actor: options.actor,
    created_at: options.nowMs,
    updated_at: options.nowMs,
  });
}

/**
 * Money the operator records by hand (an opening balance, a credit typed in the admin or the
 * CLI): a manual payment, credited at once, so every deposit in the ledger names its payment.
 */
export async function recordManualPayment(
  trx: Executor,
  options: { accountId: number; amountUnits: number; note: string; actor: string; nowMs: number },
): Promise<PaymentRow> {
  const payment = await insertPendingPayment(trx, { ...options, method: 'manual' });
  await creditPayment(trx, {
    payment,
    creditedUnits: options.amountUnits,
    fromStatuses: ['pending'],
    actor: options.actor,
    nowMs: options.nowMs,
    extra: { note: options.note },
    reason: options.note,
  });
  return payment;
}
