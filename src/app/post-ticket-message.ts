import { DomainError } from '../domain/errors.js';
import { statusAfterMessage, type TicketAuthor, validMessage } from '../domain/support.js';
import { lockAccountRow } from '../storage/accounts-repository.js';
import { appendTicketMessage, findTicket } from '../storage/support-repository.js';
import type { AppContext } from './context.js';
import { reserveCustomerMessage } from './support-rate-limit.js';
import { ticketMessagePosted } from './ticket-message-posted.js';

/** Who writes: the ticket's customer (only on their own tickets) or an operator. */
export type TicketWriter = { side: 'customer'; accountId: number } | { side: 'staff'; accountId: number };

/**
 * A message on an existing ticket. A customer's message (re)opens it, even a closed one; the
 * operator's marks it answered. Someone else's ticket reads as not found, never as forbidden.
 */
export async function postTicketMessage(
  ctx: AppContext,
  options: { ticketId: number; writer: TicketWriter; message: string },
): Promise<{ messageId: number }> {
  const body = validMessage(options.message);
  const { writer } = options;
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    // The customer's row lock first: it serialises their messages for the rate limit.
    if (writer.side === 'customer' && !(await lockAccountRow(trx, writer.accountId))) {
      throw new DomainError('account_not_found');
    }
    const ticket = await findTicket(
      trx,
      options.ticketId,
      writer.side === 'customer' ? writer.accountId : undefined,
    );
    if (!ticket) throw new DomainError('ticket_not_found', { ticketId: options.ticketId });
    if (writer.side === 'customer') await reserveCustomerMessage(trx, writer.accountId, nowMs);
    const author: TicketAuthor = writer.side;
    const messageId = await appendTicketMessage(trx, {
      ticketId: ticket.id,
      author,
      authorAccountId: writer.accountId,
      body,
      nowMs,
      status: statusAfterMessage(author),
    });
    await ticketMessagePosted(
      ctx,
      trx,
      {
        ticketId: ticket.id,
        messageId,
        subject: ticket.subject,
        author,
        customerAccountId: ticket.account_id,
        isNewTicket: false,
      },
      nowMs,
    );
    return { messageId };
  });
}
