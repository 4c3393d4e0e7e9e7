import type { TicketAuthor } from '../domain/support.js';
import type { Executor } from '../storage/schema.js';

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
 * stored it (opening a ticket and every reply, from either side). The email to the other side
 * is to be enqueued here, in the same transaction, once the mail outbox exists; until then the
 * desk's unread counts are the only notification.
 */
export async function ticketMessagePosted(_trx: Executor, _event: TicketMessagePosted): Promise<void> {}
