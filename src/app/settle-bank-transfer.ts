import { DomainError } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findPaymentByReference, lockPayment, updatePaymentIf } from '../storage/payments-repository.js';
import type { Executor, PaymentRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { creditPayment } from './payment-money.js';

/** A transfer may be confirmed while it waits, or after the operator had given up on it. */
const CONFIRMABLE = ['pending', 'expired', 'failed'] as const;

async function lockTransfer(trx: Executor, reference: string): Promise<PaymentRow> {
  const found = await findPaymentByReference(trx, reference.trim().toUpperCase());
  if (found?.method !== 'bank_transfer') throw new DomainError('payment_not_found', { reference });
  const payment = await lockPayment(trx, found.id);
  if (!payment) throw new DomainError('payment_not_found', { reference });
  return payment;
}

/**
 * The operator saw the money arrive: credits what arrived (which may differ from what was
 * asked), once. Confirming twice, or racing another confirmation, credits nothing more.
 */
export async function confirmBankTransfer(
  ctx: AppContext,
  options: { reference: string; receivedUnits: number; actor: string; note?: string },
): Promise<PaymentRow> {
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const payment = await lockTransfer(trx, options.reference);
    if (!(CONFIRMABLE as readonly string[]).includes(payment.status)) {
      throw new DomainError('payment_not_pending', { reference: payment.reference, status: payment.status });
    }
    await creditPayment(trx, {
      payment,
      creditedUnits: options.receivedUnits,
      fromStatuses: CONFIRMABLE,
      actor: options.actor,
      nowMs,
      extra: { note: options.note ?? null },
    });
    await appendAudit(trx, {
      actor: options.actor,
      action: 'payment.confirm',
      targetAccountId: payment.account_id,
      details: {
        reference: payment.reference,
        asked: formatUnits(Number(payment.amount_units)),
        received: formatUnits(options.receivedUnits),
        ...(options.note ? { note: options.note } : {}),
      },
      createdAt: nowMs,
    });
    return { ...payment, status: 'succeeded', credited_units: options.receivedUnits };
  });
}

/** The operator gives up on a transfer that never came (or came back): nothing is credited. */
export async function rejectBankTransfer(
  ctx: AppContext,
  options: { reference: string; actor: string; note?: string },
): Promise<PaymentRow> {
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const payment = await lockTransfer(trx, options.reference);
    const isRejected = await updatePaymentIf(trx, payment.id, ['pending'], {
      status: 'failed',
      // The status says it was rejected; a note is the operator's own words, in any language.
      note: options.note ?? null,
      updated_at: nowMs,
    });
    if (!isRejected) {
      throw new DomainError('payment_not_pending', { reference: payment.reference, status: payment.status });
    }
    await appendAudit(trx, {
      actor: options.actor,
      action: 'payment.reject',
      targetAccountId: payment.account_id,
      details: { reference: payment.reference, asked: formatUnits(Number(payment.amount_units)) },
      createdAt: nowMs,
    });
    return { ...payment, status: 'failed' };
  });
}
