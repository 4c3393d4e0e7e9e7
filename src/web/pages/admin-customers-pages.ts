import type { CustomerDetail } from '../../app/get-customer-detail.js';
import type { AdminOrderRow } from '../../app/list-all-orders.js';
import type { LedgerLine } from '../../app/list-customer-ledger.js';
import type { CustomerListRow } from '../../app/list-customers.js';
import type { PaymentRow } from '../../app/list-payments.js';
import type { Paged } from '../../app/pagination.js';
import { csrfField, field } from '../components.js';
import { attr, html, type SafeHtml } from '../html.js';
import { apiProfileMessages } from '../i18n/api-profile.js';
import { formatDate, formatDateTime, formatInteger, formatMoney } from '../i18n/format.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';
import {
  accountStatusBadge,
  adminLayout,
  am,
  type Flash,
  ledgerKindBadge,
  queryOf,
  tableOrEmpty,
} from './admin-common.js';
import { paymentsTable } from './admin-payment-table.js';
import { apiProfileForm } from './api-profile-form.js';
import { ledgerNote } from './ledger-note.js';
import { statusBadge } from './orders-page.js';
import { pagination } from './pagination.js';

export function adminCustomersPage(
  page: PageContext,
  result: Paged<CustomerListRow>,
  filter: { search: string; status: string },
): SafeHtml {
  const { t, lang } = page;
  const m = am(page).customers;
  const rows = result.rows.map(
    (c) => html`<tr data-account-id="${c.id}">
      <td data-label="${m.id}" class="nowrap"><a href="/admin/customers/${c.id}">#${c.id}</a></td>
      <td data-label="${m.email}" class="link-cell"><a href="/admin/customers/${c.id}">${c.email}</a></td>
      <td data-label="${m.role}">${wordOf(m.roles, c.role)}</td>
      <td data-label="${m.status}">${accountStatusBadge(page, c.status)}</td>
      <td data-label="${m.balance}" class="num">${formatMoney(lang, c.balance_units)}</td>
      <td data-label="${m.orders}" class="num">${formatInteger(lang, c.order_count)}</td>
      <td data-label="${m.created}" class="nowrap">${formatDate(lang, c.created_at)}</td>
    </tr>`,
  );
  return adminLayout(page, {
    section: 'customers',
    title: m.title,
    body: html`<section class="card">
      <form method="get" action="/admin/customers" class="filters" role="search">
        ${field({ id: 'q', label: m.search, input: html`<input id="q" name="q" type="search" value="${filter.search}" maxlength="200">` })}
        ${field({
          id: 'status',
          label: m.status,
          input: html`<select id="status" name="status"><option value="">${t.common.all}</option>${(
            ['active', 'suspended'] as const
          ).map(
            (s) =>
              html`<option value="${s}"${attr('selected', s === filter.status)}>${m.statuses[s]}</option>`,
          )}</select>`,
        })}
        <button type="submit" class="button">${t.common.search}</button>
      </form>
      ${tableOrEmpty(
        result.rows,
        m.empty,
        () => html`<div class="table-wrap"><table class="responsive">
        <thead><tr><th scope="col">${m.id}</th><th scope="col">${m.email}</th><th scope="col">${m.role}</th><th scope="col">${m.status}</th>
          <th scope="col" class="num">${m.balance}</th><th scope="col" class="num">${m.orders}</th><th scope="col">${m.created}</th></tr></thead>
        <tbody>${rows}</tbody></table></div>`,
      )}
      ${pagination(page, { path: '/admin/customers', query: queryOf({ q: filter.search, status: filter.status }), page: result.page, pageCount: result.pageCount })}
    </section>`,
  });
}

export function ledgerTable(page: PageContext, entries: LedgerLine[]): SafeHtml {
  const { t, lang } = page;
  return tableOrEmpty(
    entries,
    t.ledger.empty,
    () => html`<div class="table-wrap"><table class="responsive">
    <thead><tr><th scope="col">${t.ledger.date}</th><th scope="col">${t.ledger.kind}</th><th scope="col" class="num">${t.ledger.amount}</th>
      <th scope="col" class="num">${t.ledger.balanceAfter}</th><th scope="col">${t.ledger.order}</th><th scope="col">${t.ledger.note}</th></tr></thead>
    <tbody>${entries.map(
      (e) => html`<tr data-entry-id="${e.id}">
        <td data-label="${t.ledger.date}" class="nowrap">${formatDateTime(lang, Number(e.created_at))}</td>
        <td data-label="${t.ledger.kind}">${ledgerKindBadge(page, e.kind)}</td>
        <td data-label="${t.ledger.amount}" class="num">${formatMoney(lang, Number(e.amount_units))}</td>
        <td data-label="${t.ledger.balanceAfter}" class="num">${formatMoney(lang, Number(e.balance_after_units))}</td>
        <td data-label="${t.ledger.order}">${e.order_id === null ? '' : html`<a href="/admin/orders/${e.order_id}">#${e.order_id}</a>`}</td>
        <td data-label="${t.ledger.note}">${ledgerNote(page, e)}${e.actor ? html` <span class="muted small">(${e.actor})</span>` : ''}</td>
      </tr>`,
    )}</tbody></table></div>`,
  );
}

export function adminOrdersTable(
  page: PageContext,
  orders: AdminOrderRow[],
  options: { empty: string; withCustomer?: boolean },
): SafeHtml {
  const withCustomer = options.withCustomer ?? true;
  const { t, lang } = page;
  const m = am(page).orders;
  return tableOrEmpty(
    orders,
    options.empty,
    () => html`<div class="table-wrap"><table class="responsive">
    <thead><tr><th scope="col">${t.orders.id}</th><th scope="col">${t.orders.date}</th>${withCustomer ? html`<th scope="col">${m.customer}</th>` : ''}<th scope="col">${t.orders.service}</th>
      <th scope="col">${t.orders.link}</th><th scope="col" class="num">${t.orders.quantity}</th><th scope="col" class="num">${m.remains}</th>
      <th scope="col" class="num">${m.netCharge}</th><th scope="col">${t.orders.status}</th></tr></thead>
    <tbody>${orders.map(
      (o) => html`<tr data-order-id="${o.id}">
        <td data-label="${t.orders.id}" class="nowrap"><a href="/admin/orders/${o.id}">#${o.id}</a></td>
        <td data-label="${t.orders.date}" class="nowrap">${formatDateTime(lang, Number(o.created_at))}</td>
        ${withCustomer ? html`<td data-label="${m.customer}" class="link-cell"><a href="/admin/customers/${o.account_id}">${o.email}</a></td>` : ''}
        <td data-label="${t.orders.service}">${o.service_name ?? `#${o.service_id}`}</td>
        <td data-label="${t.orders.link}" class="link-cell mono">${o.link}</td>
        <td data-label="${t.orders.quantity}" class="num">${formatInteger(lang, Number(o.quantity))}</td>
        <td data-label="${m.remains}" class="num">${formatInteger(lang, Number(o.remains))}</td>
        <td data-label="${m.netCharge}" class="num">${formatMoney(lang, Number(o.charge_units) - Number(o.refunded_units))}</td>
        <td data-label="${t.orders.status}">${statusBadge(page, o.status)}</td>
      </tr>`,
    )}</tbody></table></div>`,
  );
}

export interface CreditFormState {
  amount: string;
  direction: string;
  reason: string;
}

function creditForm(page: PageContext, accountId: number, state: CreditFormState): SafeHtml {
  const m = am(page).customers;
  return html`<section class="card" aria-labelledby="credit-title">
    <h2 id="credit-title">${m.creditTitle}</h2>
    <p class="muted small">${m.creditLead}</p>
    <form method="post" action="/admin/customers/${accountId}/credit" class="stack">
      ${csrfField(page)}
      <fieldset class="segmented"><legend>${m.direction}</legend>
        <label><input type="radio" name="direction" value="credit"${attr('checked', state.direction !== 'debit')}> ${m.credit}</label>
        <label><input type="radio" name="direction" value="debit"${attr('checked', state.direction === 'debit')}> ${m.debit}</label>
      </fieldset>
      ${field({ id: 'amount', label: m.amount, hint: m.amountHint, input: html`<input id="amount" name="amount" type="text" inputmode="decimal" required value="${state.amount}" aria-describedby="amount-hint" autocomplete="off">` })}
      ${field({ id: 'reason', label: m.reason, hint: m.reasonHint, input: html`<textarea id="reason" name="reason" rows="2" required maxlength="500" aria-describedby="reason-hint">${state.reason}</textarea>` })}
      <button type="submit" class="button button-primary">${m.submitCredit}</button>
    </form>
  </section>`;
}

function statusForm(page: PageContext, detail: CustomerDetail): SafeHtml {
  const m = am(page).customers;
  const isActive = detail.account.status === 'active';
  return html`<section class="card" aria-labelledby="access-title">
    <h2 id="access-title">${m.statusTitle}</h2>
    <p>${accountStatusBadge(page, detail.account.status)}</p>
    <p class="muted small">${m.suspendLead}</p>
    <form method="post" action="/admin/customers/${detail.account.id}/status"${isActive ? html` data-confirm="${m.suspendConfirm}"` : ''}>
      ${csrfField(page)}
      <input type="hidden" name="status" value="${isActive ? 'suspended' : 'active'}">
      <button type="submit" class="button${isActive ? ' button-danger' : ' button-primary'}">${isActive ? m.suspend : m.unsuspend}</button>
    </form>
  </section>`;
}

export function adminCustomerPage(
  page: PageContext,
  detail: CustomerDetail,
  options: { flash?: Flash; credit?: CreditFormState; payments?: PaymentRow[] } = {},
): SafeHtml {
  const { lang } = page;
  const m = am(page).customers;
  const p = am(page).payments;
  const { account } = detail;
  const outstandingUnits = Number(account.outstanding_units);
  return adminLayout(page, {
    section: 'customers',
    title: m.detailTitle(account.id),
    ...(options.flash ? { flash: options.flash } : {}),
    actions: html`<a class="button" href="/admin/audit?account=${account.id}">${m.auditLink}</a>`,
    body: html`<section class="card">
      <dl class="facts">
        <div class="fact-wide"><dt>${m.email}</dt><dd class="link-cell" data-testid="customer-email">${account.email}</dd></div>
        <div><dt>${m.balance}</dt><dd class="stat-value" data-testid="balance">${formatMoney(lang, Number(account.balance_units))}</dd></div>
        ${outstandingUnits > 0 ? html`<div><dt>${p.outstanding}</dt><dd class="stat-value text-bad" data-testid="outstanding">${formatMoney(lang, outstandingUnits)}</dd></div>` : ''}
        <div><dt>${m.role}</dt><dd>${wordOf(m.roles, account.role)}</dd></div>
        <div><dt>${m.created}</dt><dd>${formatDateTime(lang, Number(account.created_at))}</dd></div>
      </dl>
    </section>
    <div class="grid grid-2">
      ${creditForm(page, account.id, options.credit ?? { amount: '', direction: 'credit', reason: '' })}
      ${statusForm(page, detail)}
    </div>
    <section class="card" aria-labelledby="api-profile-title">
      <h2 id="api-profile-title">${apiProfileMessages(lang).title}</h2>
      ${apiProfileForm(page, { action: `/admin/customers/${account.id}/api-profile`, profile: account.api_profile })}
    </section>
    <section class="card" aria-labelledby="payments-title">
      <div class="page-head"><h2 id="payments-title">${p.customerPayments}</h2>
        <a class="button button-small" href="/admin/payments?q=${encodeURIComponent(account.email)}">${p.allPayments}</a></div>
      ${paymentsTable(page, options.payments ?? [], { empty: p.empty, withCustomer: false })}
    </section>
    <section class="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">${m.ledgerTitle}</h2>
      ${ledgerTable(page, detail.ledger)}
    </section>
    <section class="card" aria-labelledby="orders-title">
      <div class="page-head"><h2 id="orders-title">${m.ordersTitle}</h2>
        <a class="button button-small" href="/admin/orders?account=${account.id}">${m.allOrders(formatInteger(lang, detail.orderCount))}</a></div>
      ${adminOrdersTable(page, detail.orders, { empty: page.t.orders.noOrders, withCustomer: false })}
    </section>`,
  });
}
