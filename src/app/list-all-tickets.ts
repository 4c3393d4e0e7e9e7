import { isTicketStatus } from '../domain/support.js';
import { type AdminTicketRow, searchTickets } from '../storage/support-repository.js';
import type { AppContext } from './context.js';
import { fetchPage, type Paged } from './pagination.js';

/** The operator's desk: every ticket, optionally of one status, newest activity first. */
export async function listAllTickets(
  ctx: AppContext,
  options: { status?: string; page?: number },
): Promise<Paged<AdminTicketRow & { isUnread: boolean }>> {
  const filter = isTicketStatus(options.status) ? { status: options.status } : {};
  const result = await fetchPage(options.page, (window) => searchTickets(ctx.db, filter, window));
  return {
    ...result,
    rows: result.rows.map((row) => ({
      ...row,
      isUnread: row.last_customer_message_id > row.staff_read_message_id,
    })),
  };
}
