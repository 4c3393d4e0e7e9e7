import type { TicketStatus } from '../domain/support.js';
import { findAccountById } from '../storage/accounts-repository.js';
import { listTicketsOfAccount } from '../storage/support-repository.js';
import type { AppContext } from './context.js';

/** A ticket in the customer's list. */
export interface CustomerTicketItem {
  id: number;
  subject: string;
  status: TicketStatus;
  order_id: number | null;
  last_activity_at: number;
  isUnread: boolean;
}

export interface CustomerDesk {
  /** Shown on the desk: for a suspended customer it is the one place that shows it. */
  balanceUnits: number;
  tickets: CustomerTicketItem[];
}

/** The customer's support desk: their balance and their tickets, newest activity first. */
export async function getCustomerDesk(
  ctx: AppContext,
  options: { accountId: number },
): Promise<CustomerDesk> {
  const account = await findAccountById(ctx.db, options.accountId);
  const rows = await listTicketsOfAccount(ctx.db, options.accountId);
  return {
    balanceUnits: Number(account?.balance_units ?? 0),
    tickets: rows.map((row) => ({
      id: row.id,
      subject: row.subject,
      status: row.status,
      order_id: row.order_id,
      last_activity_at: row.last_activity_at,
      isUnread: row.last_staff_message_id > row.customer_read_message_id,
    })),
  };
}
