import type { PaymentRow } from '../../app/list-payments.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatMoney } from '../i18n/format.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';
import { am, tableOrEmpty } from './admin-common.js';

/** A payment list (all customers', or one customer's) and its status badge. */

export function paymentStatusBadge(page: PageContext, status: string): SafeHtml {
  return html`<span class="badge badge-pay-${status}">${wordOf(am(page).payments.statuses, status)}</span>`;
}

export function paymentsTable(
  page: PageContext,
  payments: readonly (PaymentRow & { email?: string })[],
  options: { empty: string; withCustomer?: boolean },
): SafeHtml {
  const { lang } = page;
  const m = am(page).payments;
  const withCustomer = options.withCustomer ?? true;
  const row = (p: PaymentRow & { email?: string }) => html`<tr data-payment-id="${p.id}">
    <td data-label="${m.reference}" class="nowrap mono"><a href="/admin/payments/${p.id}">${p.reference}</a></td>
    <td data-label="${m.date}" class="nowrap">${formatDateTime(lang, Number(p.created_at))}</td>
    ${withCustomer ? html`<td data-label="${m.customer}" class="link-cell"><a href="/admin/customers/${p.account_id}">${p.email ?? ''}</a></td>` : ''}
    <td data-label="${m.method}">${wordOf(m.methods, p.method)}</td>
    <td data-label="${m.status}">${paymentStatusBadge(page, p.status)}</td>
    <td data-label="${m.asked}" class="num">${formatMoney(lang, Number(p.amount_units))}</td>
    <td data-label="${m.credited}" class="num">${formatMoney(lang, Number(p.credited_units))}</td>
  </tr>`;
  return tableOrEmpty(
    payments,
    options.empty,
    () => html`<div class="table-wrap"><table class="responsive">
    <thead><tr><th scope="col">${m.reference}</th><th scope="col">${m.date}</th>${withCustomer ? html`<th scope="col">${m.customer}</th>` : ''}
      <th scope="col">${m.method}</th><th scope="col">${m.status}</th><th scope="col" class="num">${m.asked}</th><th scope="col" class="num">${m.credited}</th></tr></thead>
    <tbody>${payments.map(row)}</tbody></table></div>`,
  );
}
