import type { CustomerOrderRow, CustomerOrdersPage } from '../../app/list-customer-orders.js';
import type { CancelPreview } from '../../app/preview-cancel.js';
import { currentRun } from '../../domain/drip-feed.js';
import { isOpen } from '../../domain/order-lifecycle.js';
import { csrfField, field, money, notice, orderStatusField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatInteger, formatMoney } from '../i18n/format.js';
import { orderPageMessages } from '../i18n/order-page.js';
import { refusalSentence } from '../i18n/refusals.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { pagination } from './pagination.js';

/** How often the orders page refreshes its rows while one of them is still being delivered. */
const LIVE_REFRESH_MS = 4000;

export function statusBadge(page: PageContext, status: string): SafeHtml {
  const cssStatus = status.replace(/\s+/g, '-');
  return html`<span class="badge badge-${cssStatus}">${wordOf(page.t.orders.statuses, status)}</span>`;
}

function progressCell(page: PageContext, order: CustomerOrderRow): SafeHtml {
  const done = order.quantity - order.remains;
  const text = page.t.orders.delivered(
    formatInteger(page.lang, done),
    formatInteger(page.lang, order.quantity),
  );
  return html`<progress max="${order.quantity}" value="${done}" aria-label="${text}"></progress>
    <span class="progress-text">${text}</span>${runOf(page, order)}`;
}

/** A drip-feed order: which run it is at ("run 3 of 10"); nothing for a single delivery. */
export function runOf(
  page: PageContext,
  order: Pick<CustomerOrderRow, 'quantity' | 'remains' | 'runs' | 'interval_minutes' | 'created_at'>,
): SafeHtml | string {
  if (order.runs === null || order.interval_minutes === null) return '';
  const run = currentRun({
    quantity: order.quantity,
    remains: order.remains,
    runs: order.runs,
    intervalMinutes: order.interval_minutes,
    createdAt: order.created_at,
  });
  const words = page.t.orders.runOf(
    formatInteger(page.lang, run.number),
    formatInteger(page.lang, order.runs),
  );
  return html`<span class="run-of muted small" data-testid="run-of">${words}</span>`;
}

function orderRow(page: PageContext, order: CustomerOrderRow): SafeHtml {
  const { t, lang } = page;
  const canCancel = isOpen(order.status) && order.can_cancel === 1;
  return html`<tr data-order-id="${order.id}">
    <td data-label="${t.orders.id}" class="nowrap"><a href="/orders/${order.id}">#${order.id}</a></td>
    <td data-label="${t.orders.date}" class="nowrap">${formatDateTime(lang, order.created_at)}</td>
    <td data-label="${t.orders.service}">${order.service_name ?? `#${order.service_id}`}</td>
    <td data-label="${t.orders.link}" class="link-cell mono">${order.link}</td>
    <td data-label="${t.orders.charge}" class="num">${formatMoney(lang, order.charge_units - order.refunded_units)}</td>
    <td data-label="${t.orders.status}">${statusBadge(page, order.status)}</td>
    <td data-label="${t.orders.progress}">${progressCell(page, order)}</td>
    <td data-label="${t.orders.actions}">${
      canCancel
        ? html`<a class="button button-small button-danger" href="/orders/${order.id}/cancel">${t.orders.cancel}</a>`
        : ''
    }</td>
  </tr>`;
}

export function ordersPage(
  page: PageContext,
  result: CustomerOrdersPage,
  state: { search: string; status: string; info?: string },
): SafeHtml {
  const { t } = page;
  // While an order on the page still moves, app.js refreshes the rows in place.
  const hasActiveOrders = result.rows.some((order) => isOpen(order.status));
  const table =
    result.rows.length === 0
      ? html`<p class="muted">${t.orders.noOrders}</p>`
      : html`<div class="table-wrap"><table class="responsive">
        <thead><tr><th scope="col">${t.orders.id}</th><th scope="col">${t.orders.date}</th><th scope="col">${t.orders.service}</th>
          <th scope="col">${t.orders.link}</th><th scope="col" class="num">${t.orders.charge}</th><th scope="col">${t.orders.status}</th>
          <th scope="col">${t.orders.progress}</th><th scope="col"><span class="visually-hidden">${t.orders.actions}</span></th></tr></thead>
        <tbody data-live-orders="${hasActiveOrders ? LIVE_REFRESH_MS : 0}">${result.rows.map((order) => orderRow(page, order))}</tbody>
      </table></div>`;
  const query: Record<string, string> = {};
  if (state.search) query.q = state.search;
  if (state.status) query.status = state.status;
  return layout(page, {
    title: t.orders.title,
    body: html`<div class="page-head"><h1>${t.orders.title}</h1><div class="actions"><a class="button" href="/orders/mass">${orderPageMessages(page.lang).mass.nav}</a><a class="button button-primary" href="/orders/new">${t.nav.newOrder}</a></div></div>
    ${state.info ? notice('success', state.info) : ''}
    <section class="card">
      <form method="get" action="/orders" class="filters" role="search">
        ${field({ id: 'q', label: t.orders.searchLabel, input: html`<input id="q" name="q" type="search" value="${state.search}" maxlength="200">` })}
        ${orderStatusField(page, { label: t.orders.statusFilter, selected: state.status })}
        <button type="submit" class="button">${t.common.search}</button>
      </form>
      ${table}
      ${pagination(page, { path: '/orders', query, page: result.page, pageCount: result.pageCount })}
    </section>`,
  });
}

export function cancelOrderPage(page: PageContext, preview: CancelPreview): SafeHtml {
  const { t, lang } = page;
  if (!preview.ok) {
    const message =
      preview.reason === 'not_found' ? t.errors.notFound : refusalSentence(preview.refusal, lang);
    return layout(page, {
      title: t.orders.title,
      narrow: true,
      body: html`<section class="card">${notice('error', message)}<a href="/orders">${t.orders.backToOrders}</a></section>`,
    });
  }
  const order = preview.order;
  return layout(page, {
    title: t.orders.cancelTitle(order.id),
    narrow: true,
    body: html`<h1>${t.orders.cancelTitle(order.id)}</h1>
    <section class="card">
      <dl class="confirm-summary">
        <dt>${t.orders.service}</dt><dd>${preview.serviceName}</dd>
        <dt>${t.orders.link}</dt><dd class="mono">${order.link}</dd>
        <dt>${t.orders.progress}</dt><dd>${t.orders.delivered(formatInteger(lang, order.quantity - order.remains), formatInteger(lang, order.quantity))}</dd>
        <dt>${t.orders.charge}</dt><dd>${money(page, order.charge_units)}</dd>
      </dl>
      <p>${t.orders.cancelLead}</p>
      <dl class="confirm-summary">
        <dt>${t.orders.refund}</dt><dd class="charge-total" data-testid="refund">${money(page, preview.refundUnits)}</dd>
        <dt>${t.orders.finalStatus}</dt><dd>${statusBadge(page, preview.status)}</dd>
      </dl>
      <form method="post" action="/orders/${order.id}/cancel" class="actions">
        ${csrfField(page)}
        <input type="hidden" name="expected_refund" value="${preview.refundUnits}">
        <button type="submit" class="button button-danger">${t.orders.cancelConfirm}</button>
        <a class="button" href="/orders/${order.id}">${t.orders.keep}</a>
      </form>
    </section>`,
  });
}
