import { DomainError } from '../domain/errors.js';
import { findAccountById } from '../storage/accounts-repository.js';
import { type LedgerLine, listLedgerLines } from '../storage/ledger-repository.js';
import { findPaymentById } from '../storage/payments-repository.js';
import type { PaymentRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import type { BankAccount, BusinessDetails } from './payment-settings.js';

export interface CustomerPayment {
  payment: PaymentRow;
  /** Where to send a pending transfer (null for other methods, or when no longer offered). */
  bank: BankAccount | null;
  business: BusinessDetails;
  email: string;
}

/** One of the customer's own payments; another customer's is indistinguishable from none. */
export async function getCustomerPayment(
  ctx: AppContext,
  options: { accountId: number; paymentId: number },
): Promise<CustomerPayment> {
  const payment = await findPaymentById(ctx.db, options.paymentId);
  const account = await findAccountById(ctx.db, options.accountId);
  if (!payment || !account || payment.account_id !== options.accountId) {
    throw new DomainError('payment_not_found', { id: options.paymentId });
  }
  const bank = payment.method === 'bank_transfer' ? ctx.payments.bank : null;
  return { payment, bank, business: ctx.payments.business, email: account.email };
}

export interface AdminPayment {
  payment: PaymentRow;
  email: string;
  outstandingUnits: number;
  entries: LedgerLine[];
}

/** A payment as the operator sees it: its customer and every ledger entry it moved. */
export async function getAdminPayment(
  ctx: AppContext,
  options: { paymentId: number },
): Promise<AdminPayment> {
  const payment = await findPaymentById(ctx.db, options.paymentId);
  if (!payment) throw new DomainError('payment_not_found', { id: options.paymentId });
  const account = await findAccountById(ctx.db, payment.account_id);
  const entries = await listLedgerLines(ctx.db, { paymentId: payment.id });
  return {
    payment,
    email: account?.email ?? '',
    outstandingUnits: Number(account?.outstanding_units ?? 0),
    entries,
  };
}
