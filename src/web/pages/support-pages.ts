import type { CustomerTicketItem } from '../../app/get-customer-desk.js';
import type { TicketThread } from '../../app/get-support-ticket.js';
import { MAX_MESSAGE_LENGTH, MAX_SUBJECT_LENGTH } from '../../domain/support.js';
import { csrfField, field, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatInteger, formatMoney } from '../i18n/format.js';
import { supportMessages } from '../i18n/support.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { ticketActions, ticketMessages, ticketStatusBadge, unreadMark } from './support-thread.js';

export type { CustomerTicketItem } from '../../app/get-customer-desk.js';

export interface NewTicketForm {
  subject: string;
  message: string;
  order: string;
}

export type PageFlash = { kind: 'success' | 'error'; message: string };

function newTicketForm(page: PageContext, form: NewTicketForm): SafeHtml {
  const s = supportMessages(page.lang).customer;
  return html`<section class="card" aria-labelledby="new-ticket">
    <h2 id="new-ticket">${s.newTitle}</h2>
    <form method="post" action="/support" class="stack">
      ${csrfField(page)}
      ${field({ id: 'subject', label: s.subject, input: html`<input id="subject" name="subject" type="text" required maxlength="${MAX_SUBJECT_LENGTH}" value="${form.subject}">` })}
      ${field({ id: 'order', label: s.order, hint: s.orderHint, input: html`<input id="order" name="order" type="text" inputmode="numeric" maxlength="15" value="${form.order}" aria-describedby="order-hint" autocomplete="off">` })}
      ${field({
        id: 'message',
        label: s.message,
        hint: s.messageHint(formatInteger(page.lang, MAX_MESSAGE_LENGTH)),
        input: html`<textarea id="message" name="message" rows="6" required maxlength="${MAX_MESSAGE_LENGTH}" aria-describedby="message-hint">${form.message}</textarea>`,
      })}
      <button type="submit" class="button button-primary">${s.send}</button>
    </form>
  </section>`;
}

function ticketList(page: PageContext, tickets: readonly CustomerTicketItem[]): SafeHtml {
  const s = supportMessages(page.lang);
  if (tickets.length === 0) return html`<p class="muted">${s.customer.empty}</p>`;
  return html`<ul class="ticket-list">${tickets.map(
    (ticket) => html`<li data-ticket-id="${ticket.id}"${ticket.isUnread ? html` data-unread="true"` : ''}>
      <a href="/support/${ticket.id}" class="ticket-link">#${ticket.id} · ${ticket.subject}</a>${unreadMark(page, ticket.isUnread)}
      <span class="ticket-meta">${ticketStatusBadge(page, ticket.status)}
        <span class="muted small nowrap">${formatDateTime(page.lang, ticket.last_activity_at)}</span></span>
    </li>`,
  )}</ul>`;
}

/** The customer's desk: balance (a suspended customer sees it here), their tickets, a new-ticket form. */
export function supportPage(
  page: PageContext,
  state: {
    tickets: readonly CustomerTicketItem[];
    balanceUnits: number;
    isSuspended: boolean;
    form?: NewTicketForm;
    flash?: PageFlash;
  },
): SafeHtml {
  const s = supportMessages(page.lang).customer;
  return layout(page, {
    title: s.title,
    body: html`<div class="page-head"><h1>${s.title}</h1>
      <p class="support-balance"><strong class="nowrap">${s.balance(formatMoney(page.lang, state.balanceUnits))}</strong></p></div>
    <p class="muted">${state.isSuspended ? s.suspendedLead : s.lead}</p>
    ${state.flash ? notice(state.flash.kind, state.flash.message) : ''}
    <div class="support-grid">
      <section class="card" aria-labelledby="my-tickets"><h2 id="my-tickets">${s.listTitle}</h2>${ticketList(page, state.tickets)}</section>
      ${newTicketForm(page, state.form ?? { subject: '', message: '', order: '' })}
    </div>`,
  });
}

/** One of the customer's tickets: its messages, a reply form, the close button. */
export function customerTicketPage(
  page: PageContext,
  thread: TicketThread,
  options: { flash?: PageFlash; draft?: string } = {},
): SafeHtml {
  const s = supportMessages(page.lang).thread;
  const { ticket } = thread;
  return layout(page, {
    title: s.title(ticket.id),
    body: html`<p><a href="/support">← ${s.back}</a></p>
    <div class="page-head"><h1 class="ticket-subject">${ticket.subject}</h1><p>${ticketStatusBadge(page, ticket.status)}</p></div>
    <p class="muted small">${s.title(ticket.id)}${ticket.order_id === null ? '' : html` · ${s.order} <a href="/orders?q=${ticket.order_id}">#${ticket.order_id}</a>`}</p>
    ${options.flash ? notice(options.flash.kind, options.flash.message) : ''}
    <section class="card">${ticketMessages(page, thread, 'customer')}</section>
    ${ticketActions(page, { base: `/support/${ticket.id}`, status: ticket.status, ...(options.draft === undefined ? {} : { draft: options.draft }) })}`,
  });
}
