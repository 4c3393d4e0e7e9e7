import { DomainError } from '../domain/errors.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findTicket, setTicketStatus } from '../storage/support-repository.js';
import type { AppContext } from './context.js';

/**
 * Either side closes a ticket; a new message from the customer reopens it. The operator's close
 * is audited (it acts on a customer's ticket); closing a closed ticket changes nothing.
 */
export async function closeSupportTicket(
  ctx: AppContext,
  options: {
    ticketId: number;
    by: { side: 'customer'; accountId: number } | { side: 'staff'; actor: string };
  },
): Promise<{ changed: boolean }> {
  const { by } = options;
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const ticket = await findTicket(trx, options.ticketId, by.side === 'customer' ? by.accountId : undefined);
    if (!ticket) throw new DomainError('ticket_not_found', { ticketId: options.ticketId });
    if (ticket.status === 'closed') return { changed: false };
    await setTicketStatus(trx, ticket.id, 'closed', nowMs);
    if (by.side === 'staff') {
      await appendAudit(trx, {
        actor: by.actor,
        action: 'support.close',
        targetAccountId: ticket.account_id,
        details: { ticketId: ticket.id, status: { from: ticket.status, to: 'closed' } },
        createdAt: nowMs,
      });
    }
    return { changed: true };
  });
}
