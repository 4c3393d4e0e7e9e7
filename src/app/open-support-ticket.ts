import { DomainError } from '../domain/errors.js';
import { validMessage, validSubject } from '../domain/support.js';
import { lockAccountRow } from '../storage/accounts-repository.js';
import { findOrderOfAccount } from '../storage/orders-repository.js';
import { appendTicketMessage, insertTicket } from '../storage/support-repository.js';
import type { AppContext } from './context.js';
import { reserveCustomerMessage } from './support-rate-limit.js';
import { ticketMessagePosted } from './ticket-message-posted.js';

/**
 * A customer opens a ticket: a subject, a first message, optionally one of their own orders.
 * Allowed to a suspended account too: writing to support is how they ask why.
 */
export async function openSupportTicket(
  ctx: AppContext,
  options: { accountId: number; subject: string; message: string; orderId?: number },
): Promise<{ ticketId: number }> {
  const subject = validSubject(options.subject);
  const body = validMessage(options.message);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const account = await lockAccountRow(trx, options.accountId);
    if (!account) throw new DomainError('account_not_found');
    await reserveCustomerMessage(trx, account.id, nowMs);
    const { orderId } = options;
    if (orderId !== undefined && !(await findOrderOfAccount(trx, account.id, orderId))) {
      throw new DomainError('order_not_found', { orderId });
    }
    const ticketId = await insertTicket(trx, {
      accountId: account.id,
      orderId: orderId ?? null,
      subject,
      nowMs,
    });
    const messageId = await appendTicketMessage(trx, {
      ticketId,
      author: 'customer',
      authorAccountId: account.id,
      body,
      nowMs,
      status: 'open',
    });
    await ticketMessagePosted(
      ctx,
      trx,
      {
        ticketId,
        messageId,
        subject,
        author: 'customer',
        customerAccountId: account.id,
        isNewTicket: true,
      },
      nowMs,
    );
    return { ticketId };
  });
}
