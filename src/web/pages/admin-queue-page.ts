import type { QueuedOrder } from '../../app/list-operator-queue.js';
import { csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatInteger } from '../i18n/format.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, type Flash, tableOrEmpty } from './admin-common.js';
import { runOf, statusBadge } from './orders-page.js';

/** A link that may wrap only after its slashes (a `<wbr>` after each), never inside a word. */
export function breakAtSlashes(link: string): SafeHtml {
  const parts = link.split('/');
  return html`${parts.map((part, i) => (i < parts.length - 1 ? html`${part}/<wbr>` : html`${part}`))}`;
}

/** The operator queue: open orders delivered by a person, oldest first, each with a quick progress form. */
export function adminQueuePage(
  page: PageContext,
  queue: QueuedOrder[],
  options: { flash?: Flash } = {},
): SafeHtml {
  const { t, lang } = page;
  const m = am(page);
  const rows = queue.map(
    (o) => html`<tr data-order-id="${o.orderId}">
      <td data-label="${t.orders.id}" class="nowrap"><a href="/admin/orders/${o.orderId}">#${o.orderId}</a></td>
      <td data-label="${t.orders.date}">${formatDateTime(lang, o.createdAt)}</td>
      <td data-label="${m.orders.customer}"><a href="/admin/customers/${o.accountId}">${o.accountEmail}</a></td>
      <td data-label="${t.orders.service}">${o.serviceName}</td>
      <td data-label="${t.orders.link}" class="link-cell queue-link mono">${breakAtSlashes(o.link)}</td>
      <td data-label="${t.orders.quantity}" class="num">${formatInteger(lang, o.quantity)}</td>
      <td data-label="${m.orders.remains}" class="num">${formatInteger(lang, o.remains)}</td>
      <td data-label="${m.orders.failedAttempts}" class="num">${formatInteger(lang, o.failedAttempts)}</td>
      <td data-label="${t.orders.status}">${statusBadge(page, o.status)}${runOf(page, {
        quantity: o.quantity,
        remains: o.remains,
        runs: o.runs,
        interval_minutes: o.intervalMinutes,
        created_at: o.createdAt,
      })}</td>
      <td data-label="${m.orders.deliveredNow}">
        <form method="post" action="/admin/orders/${o.orderId}/progress" class="import-form">
          ${csrfField(page)}<input type="hidden" name="back" value="queue">
          <label for="delivered-${o.orderId}" class="visually-hidden">${m.orders.deliveredNow} #${o.orderId}</label>
          <input id="delivered-${o.orderId}" name="delivered" type="number" min="1" max="${o.remains}" step="1" required>
          <button type="submit" class="button button-small button-primary">${m.queue.record}</button>
        </form>
      </td>
    </tr>`,
  );
  return adminLayout(page, {
    section: 'queue',
    title: m.queue.title,
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<p class="muted">${m.queue.lead}</p>
    <section class="card">${tableOrEmpty(
      queue,
      m.queue.empty,
      () => html`<div class="table-wrap"><table class="responsive queue-table">
      <thead><tr><th scope="col">${t.orders.id}</th><th scope="col">${t.orders.date}</th><th scope="col">${m.orders.customer}</th>
        <th scope="col">${t.orders.service}</th><th scope="col">${t.orders.link}</th><th scope="col" class="num">${t.orders.quantity}</th>
        <th scope="col" class="num">${m.orders.remains}</th><th scope="col" class="num">${m.orders.failedAttempts}</th>
        <th scope="col">${t.orders.status}</th><th scope="col">${m.orders.deliveredNow}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>`,
    )}</section>`,
  });
}
