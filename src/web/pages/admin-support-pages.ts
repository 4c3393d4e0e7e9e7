import type { TicketThread } from '../../app/get-support-ticket.js';
import type { Paged } from '../../app/pagination.js';
import { TICKET_STATUSES, type TicketStatus } from '../../domain/support.js';
import { field } from '../components.js';
import { attr, html, type SafeHtml } from '../html.js';
import { formatDateTime } from '../i18n/format.js';
import { supportMessages } from '../i18n/support.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, type Flash, queryOf, tableOrEmpty } from './admin-common.js';
import { pagination } from './pagination.js';
import { ticketActions, ticketMessages, ticketStatusBadge, unreadMark } from './support-thread.js';

/** A ticket in the operator's list. */
export interface AdminTicketItem {
  id: number;
  subject: string;
  status: TicketStatus;
  account_id: number;
  email: string;
  last_activity_at: number;
  isUnread: boolean;
}

function statusFilter(page: PageContext, selected: string): SafeHtml {
  const s = supportMessages(page.lang);
  return html`<form method="get" action="/admin/support" class="filters" role="search">
    ${field({
      id: 'status',
      label: s.admin.statusFilter,
      input: html`<select id="status" name="status"><option value="">${page.t.common.all}</option>${TICKET_STATUSES.map(
        (status) =>
          html`<option value="${status}"${attr('selected', status === selected)}>${s.statuses[status]}</option>`,
      )}</select>`,
    })}
    <button type="submit" class="button">${am(page).filter}</button>
  </form>`;
}

/** The operator's desk: every ticket, newest activity first, filterable by status. */
export function adminSupportPage(
  page: PageContext,
  result: Paged<AdminTicketItem>,
  filter: { status: string },
): SafeHtml {
  const s = supportMessages(page.lang).admin;
  const rows = result.rows.map(
    (ticket) => html`<tr data-ticket-id="${ticket.id}"${ticket.isUnread ? html` data-unread="true"` : ''}>
      <td data-label="${s.id}" class="nowrap"><a href="/admin/support/${ticket.id}">#${ticket.id}</a></td>
      <td data-label="${s.subject}"><a href="/admin/support/${ticket.id}">${ticket.subject}</a>${unreadMark(page, ticket.isUnread)}</td>
      <td data-label="${s.customer}" class="link-cell"><a href="/admin/customers/${ticket.account_id}">${ticket.email}</a></td>
      <td data-label="${s.status}">${ticketStatusBadge(page, ticket.status)}</td>
      <td data-label="${s.lastActivity}" class="nowrap">${formatDateTime(page.lang, ticket.last_activity_at)}</td>
    </tr>`,
  );
  return adminLayout(page, {
    section: 'support',
    title: s.title,
    body: html`<p class="muted">${s.lead}</p>
    <section class="card">
      ${statusFilter(page, filter.status)}
      ${tableOrEmpty(
        result.rows,
        s.empty,
        () => html`<div class="table-wrap"><table class="responsive">
        <thead><tr><th scope="col">${s.id}</th><th scope="col">${s.subject}</th><th scope="col">${s.customer}</th><th scope="col">${s.status}</th><th scope="col">${s.lastActivity}</th></tr></thead>
        <tbody>${rows}</tbody></table></div>`,
      )}
      ${pagination(page, { path: '/admin/support', query: queryOf({ ...filter }), page: result.page, pageCount: result.pageCount })}
    </section>`,
  });
}

/** One ticket for the operator: who, which order, the messages, reply and close. */
export function adminTicketPage(
  page: PageContext,
  thread: TicketThread,
  options: { flash?: Flash; draft?: string } = {},
): SafeHtml {
  const s = supportMessages(page.lang).thread;
  const { ticket } = thread;
  return adminLayout(page, {
    section: 'support',
    title: s.title(ticket.id),
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<section class="card">
      <dl class="facts">
        <div><dt>${s.subject}</dt><dd class="ticket-subject">${ticket.subject}</dd></div>
        <div><dt>${s.customer}</dt><dd class="link-cell"><a href="/admin/customers/${ticket.account_id}">${thread.customerEmail}</a></dd></div>
        <div><dt>${s.status}</dt><dd>${ticketStatusBadge(page, ticket.status)}</dd></div>
        ${ticket.order_id === null ? '' : html`<div><dt>${s.order}</dt><dd><a href="/admin/orders/${ticket.order_id}">#${ticket.order_id}</a></dd></div>`}
      </dl>
    </section>
    <section class="card">${ticketMessages(page, thread, 'staff')}</section>
    ${ticketActions(page, { base: `/admin/support/${ticket.id}`, status: ticket.status, ...(options.draft === undefined ? {} : { draft: options.draft }) })}`,
  });
}
