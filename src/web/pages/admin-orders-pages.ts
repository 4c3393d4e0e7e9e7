import type { AdminOrder } from '../../app/get-admin-order.js';
import type { AdminOrderRow } from '../../app/list-all-orders.js';
import type { Paged } from '../../app/pagination.js';
import { isOpen } from '../../domain/order-lifecycle.js';
import { csrfField, field, orderStatusField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatInteger, formatMoney } from '../i18n/format.js';
import { refusalSentence } from '../i18n/refusals.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, backendLabel, type Flash, queryOf } from './admin-common.js';
import { adminOrdersTable, ledgerTable } from './admin-customers-pages.js';
import { statusBadge } from './orders-page.js';
import { pagination } from './pagination.js';

export interface AdminOrderFilterState {
  search: string;
  status: string;
  account: string;
}

export function adminOrdersPage(
  page: PageContext,
  result: Paged<AdminOrderRow>,
  filter: AdminOrderFilterState,
): SafeHtml {
  const { t } = page;
  const m = am(page);
  return adminLayout(page, {
    section: 'orders',
    title: m.orders.title,
    body: html`<section class="card">
      <form method="get" action="/admin/orders" class="filters filters-4" role="search">
        ${field({ id: 'q', label: m.orders.search, input: html`<input id="q" name="q" type="search" value="${filter.search}" maxlength="200">` })}
        ${orderStatusField(page, { label: t.orders.status, selected: filter.status })}
        ${field({ id: 'account', label: m.orders.accountFilter, input: html`<input id="account" name="account" type="text" inputmode="numeric" value="${filter.account}" maxlength="15">` })}
        <button type="submit" class="button">${m.filter}</button>
      </form>
      ${adminOrdersTable(page, result.rows, { empty: t.orders.noOrders })}
      ${pagination(page, { path: '/admin/orders', query: queryOf({ q: filter.search, status: filter.status, account: filter.account }), page: result.page, pageCount: result.pageCount })}
    </section>`,
  });
}

function operatorSection(page: PageContext, detail: AdminOrder): SafeHtml {
  const { lang } = page;
  const m = am(page).orders;
  const { order } = detail;
  if (detail.backend !== 'operator')
    return html`<p class="muted">${m.notOperator(backendLabel(page, detail.backend))}</p>`;
  const remains = formatInteger(lang, Number(order.remains));
  return html`<p class="muted small">${m.operatorLead}</p>
    <form method="post" action="/admin/orders/${order.id}/progress" class="stack">
      ${csrfField(page)}
      ${field({ id: 'delivered', label: m.deliveredNow, hint: m.deliveredHint(remains), input: html`<input id="delivered" name="delivered" type="number" min="1" max="${Number(order.remains)}" step="1" required aria-describedby="delivered-hint">` })}
      ${
        order.status === 'Pending'
          ? field({
              id: 'start_count',
              label: m.startCount,
              hint: m.startCountHint,
              input: html`<input id="start_count" name="start_count" type="number" min="0" step="1" aria-describedby="start_count-hint">`,
            })
          : ''
      }
      <button type="submit" class="button button-primary">${m.recordProgress}</button>
    </form>
    <form method="post" action="/admin/orders/${order.id}/fail" data-confirm="${m.failureConfirm}" class="form-gap">
      ${csrfField(page)}
      <button type="submit" class="button">${m.recordFailure}</button>
    </form>`;
}

function actionsSection(page: PageContext, detail: AdminOrder): SafeHtml {
  const m = am(page).orders;
  const { order } = detail;
  if (!isOpen(order.status)) return html`<section class="card"><p class="muted">${m.finalLead}</p></section>`;
  return html`<div class="grid grid-2">
    <section class="card" aria-labelledby="operator-title">
      <h2 id="operator-title">${m.operatorTitle}</h2>
      ${operatorSection(page, detail)}
    </section>
    <section class="card" aria-labelledby="cancel-title">
      <h2 id="cancel-title">${m.cancelTitle}</h2>
      <p class="muted small">${m.cancelLead}</p>
      ${cancelPreviewPart(page, detail)}
    </section>
  </div>`;
}

/**
 * The refund a cancel would give now and the status it would leave, shown before the button and
 * repeated in its confirmation, as the customer's cancel page does (preview-cancel.ts).
 */
function cancelPreviewPart(page: PageContext, detail: AdminOrder): SafeHtml {
  const { t, lang } = page;
  const m = am(page).orders;
  const preview = detail.cancelPreview;
  if (!preview.ok) {
    return preview.reason === 'not_cancellable'
      ? html`<p class="small">${refusalSentence(preview.refusal, lang)}</p>`
      : html``;
  }
  const refund = formatMoney(lang, preview.refundUnits);
  return html`<p>${t.orders.cancelLead}</p>
    <dl class="confirm-summary">
      <dt>${t.orders.refund}</dt><dd class="charge-total" data-testid="refund">${refund}</dd>
      <dt>${t.orders.finalStatus}</dt><dd>${statusBadge(page, preview.status)}</dd>
    </dl>
    <form method="post" action="/admin/orders/${detail.order.id}/cancel" data-confirm="${m.cancelConfirm(refund)}">
      ${csrfField(page)}
      <button type="submit" class="button button-danger">${m.cancelButton}</button>
    </form>`;
}

type Fact = (label: string, value: SafeHtml | string, testId?: string) => SafeHtml;

/** What we charged, refunded and net, what the order cost us and the margin left. */
function moneyFacts(page: PageContext, order: AdminOrder['order'], fact: Fact): SafeHtml {
  const { lang } = page;
  const m = am(page).orders;
  const netUnits = Number(order.charge_units) - Number(order.refunded_units);
  const costUnits = order.cost_units === null ? undefined : Number(order.cost_units);
  return html`${fact(m.charge, formatMoney(lang, Number(order.charge_units)))}
    ${fact(m.refunded, formatMoney(lang, Number(order.refunded_units)), 'refunded')}
    ${fact(m.netCharge, formatMoney(lang, netUnits), 'net-charge')}
    ${fact(m.cost, costUnits === undefined ? m.costUnknown : formatMoney(lang, costUnits), 'cost')}
    ${order.upstream_charge === null ? '' : fact(m.upstreamCharge, html`<span class="mono">${order.upstream_charge}</span>`)}
    ${costUnits === undefined ? '' : fact(m.margin, formatMoney(lang, netUnits - costUnits), 'margin')}`;
}

export function adminOrderPage(
  page: PageContext,
  detail: AdminOrder,
  options: { flash?: Flash } = {},
): SafeHtml {
  const { t, lang } = page;
  const m = am(page).orders;
  const { order } = detail;
  const fact = (label: string, value: SafeHtml | string, testId?: string) =>
    html`<div><dt>${label}</dt><dd${testId ? html` data-testid="${testId}"` : ''}>${value}</dd></div>`;
  return adminLayout(page, {
    section: 'orders',
    title: m.detailTitle(order.id),
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<section class="card">
      <dl class="facts">
        ${fact(t.orders.status, statusBadge(page, order.status), 'order-status')}
        ${fact(m.customer, html`<a href="/admin/customers/${order.account_id}">${order.email}</a>`)}
        ${fact(t.orders.service, detail.service ? html`<a href="/admin/services/${order.service_id}">${order.service_name}</a>` : `#${order.service_id}`)}
        ${fact(t.orders.link, html`<span class="mono link-cell">${order.link}</span>`, 'order-link')}
        ${fact(t.orders.quantity, formatInteger(lang, Number(order.quantity)))}
        ${fact(m.remains, formatInteger(lang, Number(order.remains)), 'remains')}
        ${fact(m.startCount, formatInteger(lang, Number(order.start_count)))}
        ${moneyFacts(page, order, fact)}
        ${fact(m.backend, backendLabel(page, detail.backend))}
        ${fact(m.failedAttempts, formatInteger(lang, Number(order.failed_attempts)))}
        ${order.upstream_order_id ? fact(m.upstream, order.upstream_order_id) : ''}
        ${fact(t.orders.date, formatDateTime(lang, Number(order.created_at)))}
        ${fact(m.updated, formatDateTime(lang, Number(order.updated_at)))}
      </dl>
      ${order.comments ? html`<h2>${t.orders.comments}</h2><pre class="comments">${order.comments}</pre>` : ''}
    </section>
    ${actionsSection(page, detail)}
    <section class="card" aria-labelledby="order-ledger-title">
      <h2 id="order-ledger-title">${m.ledgerTitle}</h2>
      ${ledgerTable(page, detail.ledger)}
    </section>`,
  });
}
