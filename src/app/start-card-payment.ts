import { DomainError } from '../domain/errors.js';
import { checkDepositAmount, unitsToCents } from '../domain/payments.js';
import { findAccountById } from '../storage/accounts-repository.js';
import { updatePayment } from '../storage/payments-repository.js';
import type { AppContext } from './context.js';
import { insertPendingPayment } from './payment-records.js';

export interface StartCardPaymentOptions {
  accountId: number;
  amountUnits: number | undefined;
  /** Where the processor sends the customer back; `{PAYMENT}` is replaced by the payment id. */
  successUrl: string;
  cancelUrl: string;
  locale: 'it' | 'en';
}

/**
 * Opens a card payment: the amount and the account come from our side, never from the
 * browser's way back. The balance is credited only by the processor's signed webhook.
 */
export async function startCardPayment(
  ctx: AppContext,
  options: StartCardPaymentOptions,
): Promise<{ paymentId: number; reference: string; checkoutUrl: string }> {
  const gateway = ctx.payments.card;
  if (!gateway) throw new DomainError('payment_method_unavailable', { method: 'card' });
  const amountUnits = checkDepositAmount(options.amountUnits, ctx.payments.limits);
  const account = await findAccountById(ctx.db, options.accountId);
  if (!account) throw new DomainError('account_not_found');
  const nowMs = ctx.clock.now();
  const payment = await ctx.db
    .transaction()
    .execute((trx) =>
      insertPendingPayment(trx, { accountId: account.id, method: 'card', amountUnits, actor: null, nowMs }),
    );
  const fill = (url: string) => url.replaceAll('{PAYMENT}', String(payment.id));
  let session: { sessionId: string; url: string };
  try {
    session = await gateway.createCheckout({
      paymentId: payment.id,
      reference: payment.reference,
      accountId: account.id,
      amountCents: unitsToCents(amountUnits),
      customerEmail: account.email,
      successUrl: fill(options.successUrl),
      cancelUrl: fill(options.cancelUrl),
      locale: options.locale,
    });
  } catch {
    await updatePayment(ctx.db, payment.id, {
      status: 'failed',
      note: 'the card processor could not be reached',
      updated_at: ctx.clock.now(),
    });
    throw new DomainError('payment_provider_unavailable');
  }
  await updatePayment(ctx.db, payment.id, {
    stripe_session_id: session.sessionId,
    updated_at: ctx.clock.now(),
  });
  return { paymentId: payment.id, reference: payment.reference, checkoutUrl: session.url };
}
