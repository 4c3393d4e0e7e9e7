import { DomainError } from '../domain/errors.js';
import { findAccountById } from '../storage/accounts-repository.js';
import type { SupportMessageRow, SupportTicketRow } from '../storage/schema.js';
import { findTicket, listTicketMessages, markTicketRead } from '../storage/support-repository.js';
import type { AppContext } from './context.js';

export interface TicketThread {
  ticket: SupportTicketRow;
  messages: SupportMessageRow[];
  customerEmail: string;
  /** The reader had not seen the other side's last message before this read. */
  wasUnread: boolean;
}

/**
 * One ticket with its messages, for its customer or for the operator; reading it moves the
 * reader's side's marker, so the unread count drops. Another customer's ticket is not found.
 */
export async function getSupportTicket(
  ctx: AppContext,
  options: { ticketId: number; reader: { side: 'customer'; accountId: number } | { side: 'staff' } },
): Promise<TicketThread> {
  const { reader } = options;
  const ticket = await findTicket(
    ctx.db,
    options.ticketId,
    reader.side === 'customer' ? reader.accountId : undefined,
  );
  if (!ticket) throw new DomainError('ticket_not_found', { ticketId: options.ticketId });
  const wasUnread =
    reader.side === 'customer'
      ? ticket.last_staff_message_id > ticket.customer_read_message_id
      : ticket.last_customer_message_id > ticket.staff_read_message_id;
  await markTicketRead(ctx.db, ticket, reader.side);
  const messages = await listTicketMessages(ctx.db, ticket.id);
  const customer = await findAccountById(ctx.db, ticket.account_id);
  return { ticket, messages, customerEmail: customer?.email ?? '', wasUnread };
}
