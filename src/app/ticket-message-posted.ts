import type { TicketAuthor } from '../domain/support.js';
import type { Executor } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './enqueue-mail.js';

/** A new message on a ticket, as the other side's notification needs it. */
export interface TicketMessagePosted {
  ticketId: number;
  messageId: number;
  subject: string;
  /** Who wrote it: the other side is the one to tell. */
  author: TicketAuthor;
  /** The ticket's customer (the recipient when the operator wrote). */
  customerAccountId: number;
  /** True for the message that opened the ticket. */
  isNewTicket: boolean;
}

/**
 * The one point where the desk announces a new message, called inside the transaction that
 * stored it (opening a ticket and every reply, from either side): the other side's mail joins
 * the outbox in the same transaction, so a stored message is never left unannounced. The
 * operator is written to at BUSINESS_EMAIL (in Italian, the operator's language); without
 * one, the admin's unread count is the notification.
 */
export async function ticketMessagePosted(
  ctx: AppContext,
  trx: Executor,
  event: TicketMessagePosted,
  nowMs: number,
): Promise<void> {
  const data = { ticketId: event.ticketId, subject: event.subject };
  if (event.author === 'staff') {
    await enqueueMail(trx, { accountId: event.customerAccountId }, 'ticket_answered', data, nowMs);
    return;
  }
  const operatorEmail = ctx.payments.business.email;
  if (!operatorEmail) return;
  const kind = event.isNewTicket ? 'ticket_opened' : 'ticket_customer_message';
  await enqueueMail(trx, { to: operatorEmail, language: 'it' }, kind, data, nowMs);
}
