import type { TicketThread } from '../../app/get-support-ticket.js';
import { MAX_MESSAGE_LENGTH, type TicketStatus } from '../../domain/support.js';
import { csrfField, field } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatInteger } from '../i18n/format.js';
import { supportMessages } from '../i18n/support.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';

/** The parts of a ticket page both sides share: status badge, messages, reply and close forms. */

export function ticketStatusBadge(page: PageContext, status: TicketStatus): SafeHtml {
  return html`<span class="badge badge-ticket-${status}">${wordOf(supportMessages(page.lang).statuses, status)}</span>`;
}

/**
 * The page context once this ticket has been read: the navigation's count was taken before the
 * read, when the request began, and would otherwise still count this ticket.
 */
export function afterReading(page: PageContext, thread: TicketThread, side: 'own' | 'desk'): PageContext {
  if (!thread.wasUnread || !page.unreadTickets) return page;
  const counts = { ...page.unreadTickets, [side]: Math.max(0, page.unreadTickets[side] - 1) };
  return { ...page, unreadTickets: counts };
}

/** An unread marker beside a ticket in a list; the number lives in the navigation. */
export function unreadMark(page: PageContext, isUnread: boolean): SafeHtml {
  return isUnread
    ? html` <span class="badge badge-unread">${supportMessages(page.lang).thread.new}</span>`
    : html``;
}

/**
 * The messages, oldest first. `viewer` decides who "you" is: the customer reads their own
 * messages as "You" and the operator's as "Operator"; the operator reads the customer's email.
 */
export function ticketMessages(
  page: PageContext,
  thread: TicketThread,
  viewer: 'customer' | 'staff',
): SafeHtml {
  const s = supportMessages(page.lang).thread;
  const authorName = (author: 'customer' | 'staff') =>
    author === viewer ? s.you : author === 'staff' ? s.operator : thread.customerEmail;
  return html`<ol class="ticket-thread">${thread.messages.map(
    (
      message,
    ) => html`<li class="ticket-message ticket-message-${message.author}" data-message-id="${message.id}">
      <p class="ticket-message-head"><strong class="link-cell">${authorName(message.author)}</strong>
        <span class="muted small nowrap">${formatDateTime(page.lang, message.created_at)}</span></p>
      <div class="ticket-message-body">${message.body}</div>
    </li>`,
  )}</ol>`;
}

/** The reply form and, unless closed, the close button; `base` is the ticket's URL. */
export function ticketActions(
  page: PageContext,
  options: { base: string; status: TicketStatus; draft?: string },
): SafeHtml {
  const s = supportMessages(page.lang).thread;
  const max = formatInteger(page.lang, MAX_MESSAGE_LENGTH);
  return html`<section class="card">
    <h2>${s.reply}</h2>
    ${options.status === 'closed' ? html`<p class="muted small">${s.reopenHint}</p>` : ''}
    <form method="post" action="${options.base}/messages" class="stack">
      ${csrfField(page)}
      ${field({
        id: 'message',
        label: s.replyLabel,
        hint: supportMessages(page.lang).customer.messageHint(max),
        input: html`<textarea id="message" name="message" rows="5" maxlength="${MAX_MESSAGE_LENGTH}" required aria-describedby="message-hint">${options.draft ?? ''}</textarea>`,
      })}
      <button type="submit" class="button button-primary">${s.send}</button>
    </form>
    ${
      options.status === 'closed'
        ? ''
        : html`<form method="post" action="${options.base}/close" class="inline-form ticket-close" data-confirm="${s.closeConfirm}">
        ${csrfField(page)}<button type="submit" class="button">${s.close}</button></form>`
    }
  </section>`;
}
