import type { AdminPayment } from '../../app/get-payment.js';
import type { PaymentDay, PaymentRow } from '../../app/list-payments.js';
import type { Paged } from '../../app/pagination.js';
import { formatUnits } from '../../domain/money.js';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../../domain/payments.js';
import { csrfField, field } from '../components.js';
import { attr, html, type SafeHtml } from '../html.js';
import { formatDateTime, formatDay, formatInteger, formatMoney } from '../i18n/format.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, type Flash, queryOf } from './admin-common.js';
import { ledgerTable } from './admin-customers-pages.js';
import { paymentStatusBadge, paymentsTable } from './admin-payment-table.js';
import { pagination } from './pagination.js';

export interface PaymentFilterState {
  search: string;
  status: string;
  method: string;
}

/** A bank transfer the operator may still confirm (the use case's rule, shown as a form). */
export const SETTLEABLE_STATUSES: readonly string[] = ['pending', 'expired', 'failed'];

/** The filters as a query string, for the CSV link and the pagination. */
export function paymentFilterQuery(filter: PaymentFilterState): Record<string, string> {
  return queryOf({ q: filter.search, status: filter.status, method: filter.method });
}

/** Money credited per Rome day by method, newest first, with the period's totals. */
function daysTable(page: PageContext, days: readonly PaymentDay[]): SafeHtml {
  const { lang } = page;
  const m = am(page).payments;
  const sum = (pick: (d: PaymentDay) => number) => days.reduce((total, d) => total + pick(d), 0);
  const all = (d: PaymentDay) => d.cardUnits + d.transferUnits + d.manualUnits;
  const cells = (card: number, transfer: number, manual: number, total: number) =>
    html`<td data-label="${m.methods.card}" class="num">${formatMoney(lang, card)}</td>
      <td data-label="${m.methods.bank_transfer}" class="num">${formatMoney(lang, transfer)}</td>
      <td data-label="${m.methods.manual}" class="num">${formatMoney(lang, manual)}</td>
      <td data-label="${m.total}" class="num strong">${formatMoney(lang, total)}</td>`;
  // The day's noon in UTC is the same calendar day in Rome, whatever the season.
  const dayLabel = (day: string) => formatDay(lang, Date.parse(`${day}T12:00:00Z`));
  // Days without a credit would only lengthen the table (on a phone, a card each).
  const rows = days
    .filter((d) => all(d) !== 0)
    .reverse()
    .map(
      (d) =>
        html`<tr data-day="${d.day}"><th scope="row" data-label="${m.day}" class="nowrap">${dayLabel(d.day)}</th>${cells(d.cardUnits, d.transferUnits, d.manualUnits, all(d))}</tr>`,
    );
  if (rows.length === 0) return html`<p class="muted">${m.nothingCredited}</p>`;
  return html`<div class="table-wrap"><table class="responsive payment-days">
    <thead><tr><th scope="col">${m.day}</th><th scope="col" class="num">${m.methods.card}</th><th scope="col" class="num">${m.methods.bank_transfer}</th>
      <th scope="col" class="num">${m.methods.manual}</th><th scope="col" class="num">${m.total}</th></tr></thead>
    <tbody>${rows}</tbody>
    <tfoot><tr data-testid="days-total"><th scope="row" data-label="${m.day}">${m.totals}</th>${cells(
      sum((d) => d.cardUnits),
      sum((d) => d.transferUnits),
      sum((d) => d.manualUnits),
      sum(all),
    )}</tr></tfoot></table></div>`;
}

function filterForm(page: PageContext, filter: PaymentFilterState): SafeHtml {
  const { t } = page;
  const m = am(page).payments;
  const select = (
    id: string,
    label: string,
    values: readonly string[],
    names: Record<string, string>,
    selected: string,
  ) =>
    field({
      id,
      label,
      input: html`<select id="${id}" name="${id}"><option value="">${t.common.all}</option>${values.map(
        (v) => html`<option value="${v}"${attr('selected', v === selected)}>${names[v] ?? v}</option>`,
      )}</select>`,
    });
  return html`<form method="get" action="/admin/payments" class="filters filters-4" role="search">
    ${field({ id: 'q', label: m.search, input: html`<input id="q" name="q" type="search" value="${filter.search}" maxlength="200">` })}
    ${select('status', m.status, PAYMENT_STATUSES, m.statuses, filter.status)}
    ${select('method', m.method, PAYMENT_METHODS, m.methods, filter.method)}
    <button type="submit" class="button">${am(page).filter}</button>
  </form>`;
}

export function adminPaymentsPage(
  page: PageContext,
  result: Paged<PaymentRow & { email: string }> & { days: PaymentDay[] },
  filter: PaymentFilterState,
): SafeHtml {
  const m = am(page).payments;
  const query = paymentFilterQuery(filter);
  const csvQuery = new URLSearchParams(queryOf({ status: filter.status, method: filter.method })).toString();
  return adminLayout(page, {
    section: 'payments',
    title: m.title,
    actions: html`<a class="button" href="/admin/payments.csv${csvQuery ? `?${csvQuery}` : ''}" download>${m.exportCsv}</a>
      <a class="button button-primary" href="/admin/payments/statement">${m.uploadStatement}</a>`,
    body: html`<section class="card">
      ${filterForm(page, filter)}
      <p class="muted small" data-testid="payment-count">${m.matching(formatInteger(page.lang, result.total))}</p>
      ${paymentsTable(page, result.rows, { empty: m.empty })}
      ${pagination(page, { path: '/admin/payments', query, page: result.page, pageCount: result.pageCount })}
    </section>
    <section class="card" aria-labelledby="days-title">
      <h2 id="days-title">${m.daysTitle}</h2>
      ${daysTable(page, result.days)}
    </section>`,
  });
}

export interface ConfirmFormState {
  amount: string;
  note: string;
}

function settleForms(page: PageContext, detail: AdminPayment, state: ConfirmFormState): SafeHtml {
  const m = am(page).payments;
  const { payment } = detail;
  if (payment.method !== 'bank_transfer') return html``;
  if (!SETTLEABLE_STATUSES.includes(payment.status))
    return html`<section class="card"><p class="muted">${m.notSettleable}</p></section>`;
  return html`<div class="grid grid-2">
    <section class="card" aria-labelledby="confirm-title">
      <h2 id="confirm-title">${m.confirmTitle}</h2>
      <p class="muted small">${m.confirmLead}</p>
      <form method="post" action="/admin/payments/${payment.id}/confirm" class="stack">
        ${csrfField(page)}
        ${field({ id: 'amount', label: m.received, hint: m.receivedHint, input: html`<input id="amount" name="amount" type="text" inputmode="decimal" required value="${state.amount}" aria-describedby="amount-hint" autocomplete="off" maxlength="40">` })}
        ${field({ id: 'note', label: m.note, hint: m.noteHint, input: html`<textarea id="note" name="note" rows="2" maxlength="500" aria-describedby="note-hint">${state.note}</textarea>` })}
        <button type="submit" class="button button-primary">${m.confirmButton}</button>
      </form>
    </section>
    ${
      payment.status === 'pending'
        ? html`<section class="card" aria-labelledby="reject-title">
      <h2 id="reject-title">${m.rejectTitle}</h2>
      <p class="muted small">${m.rejectLead}</p>
      <form method="post" action="/admin/payments/${payment.id}/reject" class="stack" data-confirm="${m.rejectConfirm}">
        ${csrfField(page)}
        ${field({ id: 'reject-note', label: m.note, input: html`<textarea id="reject-note" name="note" rows="2" maxlength="500"></textarea>` })}
        <button type="submit" class="button button-danger">${m.rejectButton}</button>
      </form>
    </section>`
        : ''
    }
  </div>`;
}

function paymentFacts(page: PageContext, detail: AdminPayment): SafeHtml {
  const { lang } = page;
  const m = am(page).payments;
  const { payment } = detail;
  const money = (units: number) => formatMoney(lang, Number(units));
  const fact = (label: string, value: SafeHtml | string | null, testId?: string) =>
    value === null || value === ''
      ? ''
      : html`<div><dt>${label}</dt><dd${testId ? html` data-testid="${testId}"` : ''}>${value}</dd></div>`;
  const when = (ms: number | null) => (ms === null ? null : formatDateTime(lang, Number(ms)));
  return html`<dl class="facts">
    ${fact(m.status, paymentStatusBadge(page, payment.status), 'payment-status')}
    <div class="fact-wide"><dt>${m.customer}</dt><dd class="link-cell"><a href="/admin/customers/${payment.account_id}">${detail.email}</a></dd></div>
    ${fact(m.method, wordOf(m.methods, payment.method))}
    ${fact(m.reference, html`<span class="mono">${payment.reference}</span>`, 'payment-reference')}
    ${fact(m.asked, money(payment.amount_units), 'payment-asked')}
    ${fact(m.credited, money(payment.credited_units), 'payment-credited')}
    ${fact(m.refunded, money(payment.refunded_units))}
    ${fact(m.reversed, money(payment.reversed_units))}
    ${Number(payment.disputed_units) > 0 ? fact(m.disputed, money(payment.disputed_units)) : ''}
    ${fact(m.dispute, payment.dispute_status)}
    ${fact(m.receipt, payment.receipt_number, 'payment-receipt')}
    ${fact(m.stripeSession, payment.stripe_session_id ? html`<span class="mono link-cell">${payment.stripe_session_id}</span>` : null)}
    ${fact(m.stripeIntent, payment.stripe_payment_intent_id ? html`<span class="mono link-cell">${payment.stripe_payment_intent_id}</span>` : null)}
    ${fact(m.stripeCharge, payment.stripe_charge_id ? html`<span class="mono link-cell">${payment.stripe_charge_id}</span>` : null)}
    ${fact(m.created, when(payment.created_at))}
    ${fact(m.succeededAt, when(payment.succeeded_at))}
    ${fact(m.updated, when(payment.updated_at))}
    ${fact(m.actor, payment.actor)}
    ${detail.outstandingUnits > 0 ? fact(m.outstanding, html`<strong class="text-bad">${money(detail.outstandingUnits)}</strong>`, 'outstanding') : ''}
  </dl>
  ${payment.note ? html`<h2>${m.note}</h2><p class="prewrap" data-testid="payment-note">${payment.note}</p>` : ''}`;
}

export function adminPaymentPage(
  page: PageContext,
  detail: AdminPayment,
  options: { flash?: Flash; confirm?: ConfirmFormState } = {},
): SafeHtml {
  const m = am(page).payments;
  const { payment } = detail;
  // Prefilled with the asked amount in the page's own decimal style, which the form accepts back.
  const asked = formatUnits(Number(payment.amount_units)).replace(/(\.\d\d)00$/, '$1');
  const prefill = page.lang === 'it' ? asked.replace('.', ',') : asked;
  return adminLayout(page, {
    section: 'payments',
    title: m.detailTitle(payment.reference),
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<section class="card">${paymentFacts(page, detail)}</section>
    ${settleForms(page, detail, options.confirm ?? { amount: prefill, note: '' })}
    <section class="card" aria-labelledby="payment-ledger-title">
      <h2 id="payment-ledger-title">${m.ledgerTitle}</h2>
      ${ledgerTable(page, detail.entries)}
    </section>`,
  });
}
