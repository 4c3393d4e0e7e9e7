import type { TicketAuthor, TicketStatus } from '../domain/support.js';
import type { Executor, SupportMessageRow, SupportTicketRow } from './schema.js';
import type { PageWindow } from './text-search.js';

/** The support desk's SQL: tickets, their messages and the per-side read markers. */

export async function insertTicket(
  db: Executor,
  ticket: { accountId: number; orderId: number | null; subject: string; nowMs: number },
): Promise<number> {
  const row = await db
    .insertInto('support_tickets')
    .values({
      account_id: ticket.accountId,
      order_id: ticket.orderId,
      subject: ticket.subject,
      status: 'open',
      created_at: ticket.nowMs,
      last_activity_at: ticket.nowMs,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * Appends a message and moves the ticket with it: its status, its last activity, the author
 * side's last message, and the author side's read marker (you have read what you wrote).
 */
export async function appendTicketMessage(
  db: Executor,
  message: {
    ticketId: number;
    author: TicketAuthor;
    authorAccountId: number;
    body: string;
    nowMs: number;
    status: TicketStatus;
  },
): Promise<number> {
  const row = await db
    .insertInto('support_messages')
    .values({
      ticket_id: message.ticketId,
      author: message.author,
      author_account_id: message.authorAccountId,
      body: message.body,
      created_at: message.nowMs,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const messageId = Number(row.id);
  const side =
    message.author === 'customer'
      ? { last_customer_message_id: messageId, customer_read_message_id: messageId }
      : { last_staff_message_id: messageId, staff_read_message_id: messageId };
  await db
    .updateTable('support_tickets')
    .set({ ...side, status: message.status, last_activity_at: message.nowMs })
    .where('id', '=', message.ticketId)
    .execute();
  return messageId;
}

function normaliseTicket(row: SupportTicketRow): SupportTicketRow {
  return {
    ...row,
    id: Number(row.id),
    account_id: Number(row.account_id),
    order_id: row.order_id === null ? null : Number(row.order_id),
    created_at: Number(row.created_at),
    last_activity_at: Number(row.last_activity_at),
    last_customer_message_id: Number(row.last_customer_message_id),
    last_staff_message_id: Number(row.last_staff_message_id),
    customer_read_message_id: Number(row.customer_read_message_id),
    staff_read_message_id: Number(row.staff_read_message_id),
  };
}

/** A ticket by id; with `accountId`, only if it belongs to that account. */
export async function findTicket(
  db: Executor,
  ticketId: number,
  accountId?: number,
): Promise<SupportTicketRow | undefined> {
  let query = db.selectFrom('support_tickets').selectAll().where('id', '=', ticketId);
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  const row = await query.executeTakeFirst();
  return row ? normaliseTicket(row) : undefined;
}

export async function setTicketStatus(db: Executor, ticketId: number, status: TicketStatus, nowMs: number) {
  await db
    .updateTable('support_tickets')
    .set({ status, last_activity_at: nowMs })
    .where('id', '=', ticketId)
    .execute();
}

/** Moves one side's read marker up to the ticket's last message of the other side (never down). */
export async function markTicketRead(db: Executor, ticket: SupportTicketRow, reader: TicketAuthor) {
  if (reader === 'customer' && ticket.last_staff_message_id > ticket.customer_read_message_id) {
    await db
      .updateTable('support_tickets')
      .set({ customer_read_message_id: ticket.last_staff_message_id })
      .where('id', '=', ticket.id)
      .where('customer_read_message_id', '<', ticket.last_staff_message_id)
      .execute();
  }
  if (reader === 'staff' && ticket.last_customer_message_id > ticket.staff_read_message_id) {
    await db
      .updateTable('support_tickets')
      .set({ staff_read_message_id: ticket.last_customer_message_id })
      .where('id', '=', ticket.id)
      .where('staff_read_message_id', '<', ticket.last_customer_message_id)
      .execute();
  }
}

export async function listTicketMessages(db: Executor, ticketId: number): Promise<SupportMessageRow[]> {
  const rows = await db
    .selectFrom('support_messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    ticket_id: Number(row.ticket_id),
    author_account_id: Number(row.author_account_id),
    created_at: Number(row.created_at),
  }));
}

/** How many messages this customer wrote since `sinceMs` (the rate limit's window). */
export async function countCustomerMessagesSince(db: Executor, accountId: number, sinceMs: number) {
  const row = await db
    .selectFrom('support_messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('author_account_id', '=', accountId)
    .where('author', '=', 'customer')
    .where('created_at', '>', sinceMs)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A customer's own tickets, newest activity first (a customer has few: no paging). */
export async function listTicketsOfAccount(db: Executor, accountId: number): Promise<SupportTicketRow[]> {
  const rows = await db
    .selectFrom('support_tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('last_activity_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map(normaliseTicket);
}

export interface AdminTicketRow extends SupportTicketRow {
  email: string;
}

/** Every ticket for the operator, optionally of one status, newest activity first. */
export async function searchTickets(
  db: Executor,
  filter: { status?: TicketStatus },
  page: PageWindow,
): Promise<{ rows: AdminTicketRow[]; total: number }> {
  let query = db.selectFrom('support_tickets');
  if (filter.status) query = query.where('support_tickets.status', '=', filter.status);
  const count = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .innerJoin('accounts', 'accounts.id', 'support_tickets.account_id')
    .selectAll('support_tickets')
    .select('accounts.email')
    .orderBy('support_tickets.last_activity_at', 'desc')
    .orderBy('support_tickets.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows: rows.map((row) => ({ ...normaliseTicket(row), email: row.email })), total: Number(count.n) };
}

/** Tickets with a message from the other side this reader has not opened since. */
export async function countUnreadTickets(
  db: Executor,
  reader: { side: 'customer'; accountId: number } | { side: 'staff' },
): Promise<number> {
  const query =
    reader.side === 'customer'
      ? db
          .selectFrom('support_tickets')
          .where('account_id', '=', reader.accountId)
          .whereRef('last_staff_message_id', '>', 'customer_read_message_id')
      : db.selectFrom('support_tickets').whereRef('last_customer_message_id', '>', 'staff_read_message_id');
  const row = await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
