import type { CustomerOrder } from '../../app/get-customer-order.js';
import type { LedgerLine } from '../../app/list-customer-ledger.js';
import { csrfField, money, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatInteger, formatMoney } from '../i18n/format.js';
import { orderPageMessages } from '../i18n/order-page.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { ledgerNote } from './ledger-note.js';
import { statusBadge } from './orders-page.js';
import { serviceDescription } from './service-facts.js';

/** What a cancel made of this order, for the notice after it (issue 9: the amount actually refunded). */
export interface CancelNotice {
  /** The refund the preview showed, when the cancel refunded something else. */
  shownRefundUnits?: number;
}

function ledgerTable(page: PageContext, lines: LedgerLine[]): SafeHtml {
  const { t, lang } = page;
  const m = orderPageMessages(lang).detail;
  if (lines.length === 0) return html`<p class="muted">${m.ledgerEmpty}</p>`;
  return html`<div class="table-wrap"><table class="responsive">
    <thead><tr><th scope="col">${t.ledger.date}</th><th scope="col">${t.ledger.kind}</th><th scope="col">${t.ledger.note}</th>
      <th scope="col" class="num">${t.ledger.amount}</th><th scope="col" class="num">${t.ledger.balanceAfter}</th></tr></thead>
    <tbody>${lines.map(
      (entry) => html`<tr data-ledger-kind="${entry.kind}">
      <td data-label="${t.ledger.date}" class="nowrap">${formatDateTime(lang, Number(entry.created_at))}</td>
      <td data-label="${t.ledger.kind}"><span class="badge badge-${entry.kind}">${wordOf(t.ledger.kinds, entry.kind)}</span></td>
      <td data-label="${t.ledger.note}">${ledgerNote(page, entry)}</td>
      <td data-label="${t.ledger.amount}" class="num">${Number(entry.amount_units) > 0 ? '+' : ''}${formatMoney(lang, Number(entry.amount_units))}</td>
      <td data-label="${t.ledger.balanceAfter}" class="num">${formatMoney(lang, Number(entry.balance_after_units))}</td>
    </tr>`,
    )}</tbody></table></div>`;
}

function facts(page: PageContext, detail: CustomerOrder): SafeHtml {
  const { lang } = page;
  const m = orderPageMessages(lang).detail;
  const { order, service } = detail;
  const whole = (n: number) => formatInteger(lang, n);
  const description = service ? serviceDescription(lang, service) : '';
  const hasStarted = order.status !== 'Pending' || order.start_count > 0;
  return html`<dl class="confirm-summary order-facts">
    <dt>${m.service}</dt><dd>#${order.service_id} · ${service?.name ?? ''}</dd>
    ${description ? html`<dt>${m.description}</dt><dd>${description}</dd>` : ''}
    <dt>${m.link}</dt><dd class="mono">${order.link}</dd>
    <dt>${m.placedAt}</dt><dd>${formatDateTime(lang, order.created_at)}</dd>
    ${order.completed_at ? html`<dt>${m.completedAt}</dt><dd>${formatDateTime(lang, order.completed_at)}</dd>` : ''}
    <dt>${m.quantity}</dt><dd data-testid="quantity">${whole(order.quantity)}</dd>
    <dt>${m.startCount}</dt><dd data-testid="start-count">${hasStarted ? whole(order.start_count) : html`<span class="muted">${m.startCountUnknown}</span>`}</dd>
    <dt>${m.delivered}</dt><dd data-testid="delivered">${whole(order.quantity - order.remains)}</dd>
    <dt>${m.remains}</dt><dd data-testid="remains">${whole(order.remains)}</dd>
    <dt>${m.charge}</dt><dd data-testid="charge">${money(page, order.charge_units)}</dd>
    <dt>${m.refunded}</dt><dd data-testid="refunded">${money(page, order.refunded_units)}</dd>
    <dt>${m.net}</dt><dd class="charge-total">${money(page, order.charge_units - order.refunded_units)}</dd>
  </dl>`;
}

/** A drip-feed order's runs: when each is due, how far it got (contract §13). */
function runsTable(page: PageContext, detail: CustomerOrder): SafeHtml {
  const { lang } = page;
  const m = orderPageMessages(lang).detail;
  const whole = (n: number) => formatInteger(lang, n);
  return html`<h2 class="h3">${m.runsTitle(whole(detail.runs.length))}</h2>
    <div class="table-wrap"><table class="table" data-testid="runs">
    <thead><tr><th scope="col">${m.run}</th><th scope="col">${m.dueAt}</th><th scope="col">${m.status}</th>
      <th scope="col" class="num">${m.runDelivered}</th></tr></thead>
    <tbody>${detail.runs.map(
      (run) => html`<tr data-run-status="${run.status}">
      <td data-label="${m.run}">${whole(run.run_number)}</td>
      <td data-label="${m.dueAt}" class="nowrap">${formatDateTime(lang, Number(run.due_at))}</td>
      <td data-label="${m.status}">${m.runStatuses[run.status]}</td>
      <td data-label="${m.runDelivered}" class="num">${whole(run.delivered)} / ${whole(run.quantity)}</td>
    </tr>`,
    )}</tbody></table></div>`;
}

/** "Order again": the order form filled with this order, through the form's own edit route. */
function orderAgainForm(page: PageContext, detail: CustomerOrder): SafeHtml {
  const { order } = detail;
  const m = orderPageMessages(page.lang).detail;
  return html`<form method="post" action="/orders/edit" class="inline-form">
    ${csrfField(page)}
    <input type="hidden" name="service" value="${order.service_id}">
    <input type="hidden" name="link" value="${order.link}">
    ${order.comments === null ? html`<input type="hidden" name="quantity" value="${order.runs ? order.quantity / order.runs : order.quantity}">` : html`<input type="hidden" name="comments" value="${order.comments}">`}
    ${order.runs ? html`<input type="hidden" name="runs" value="${order.runs}"><input type="hidden" name="interval" value="${order.interval_minutes ?? ''}">` : ''}
    <button type="submit" class="button">${m.orderAgain}</button>
  </form>`;
}

function cancelNotice(page: PageContext, detail: CustomerOrder, cancelled: CancelNotice): SafeHtml {
  const m = orderPageMessages(page.lang).detail;
  const refunded = formatMoney(page.lang, detail.order.refunded_units);
  const shown = cancelled.shownRefundUnits;
  return notice(
    'success',
    html`${m.canceled(refunded)}${shown === undefined ? '' : html` ${m.refundChanged(formatMoney(page.lang, shown), refunded)}`}`,
  );
}

export function orderDetailPage(
  page: PageContext,
  detail: CustomerOrder,
  options: { cancelled?: CancelNotice; info?: string } = {},
): SafeHtml {
  const { lang } = page;
  const m = orderPageMessages(lang).detail;
  const { order } = detail;
  return layout(page, {
    title: m.title(order.id),
    body: html`<div class="page-head"><h1>${m.title(order.id)} ${statusBadge(page, order.status)}</h1>
      <a class="button" href="/orders">${m.backToOrders}</a></div>
    ${options.cancelled ? cancelNotice(page, detail, options.cancelled) : ''}
    ${options.info ? notice('success', options.info) : ''}
    <section class="card stack" data-order-id="${order.id}">
      <p data-testid="status-meaning"><strong>${m.status}:</strong> ${wordOf(page.t.orders.statuses, order.status)}. ${wordOf(m.statusMeanings, order.status)}</p>
      ${facts(page, detail)}
      ${
        detail.comments.length > 0
          ? html`<h2 class="h3">${m.comments(formatInteger(lang, detail.comments.length))}</h2>
            <ol class="comment-list">${detail.comments.map((c) => html`<li>${c}</li>`)}</ol>`
          : ''
      }
      ${detail.runs.length > 0 ? runsTable(page, detail) : ''}
      <div class="actions">
        ${detail.canCancel ? html`<a class="button button-danger" href="/orders/${order.id}/cancel">${m.cancel}</a>` : ''}
        ${orderAgainForm(page, detail)}
      </div>
    </section>
    <section class="card" aria-labelledby="order-ledger-title">
      <h2 id="order-ledger-title">${m.ledgerTitle}</h2>
      ${ledgerTable(page, detail.ledger)}
    </section>`,
  });
}
