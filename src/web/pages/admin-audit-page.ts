import type { AuditRow } from '../../app/list-audit-log.js';
import type { Paged } from '../../app/pagination.js';
import { parseEuros } from '../../domain/money.js';
import { field } from '../components.js';
import { attr, html, type SafeHtml } from '../html.js';
import { categoryName } from '../i18n/categories.js';
import { formatDateTime, formatInteger, formatMoney } from '../i18n/format.js';
import { supportMessages } from '../i18n/support.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, backendLabel, queryOf, tableOrEmpty } from './admin-common.js';
import { auditSentence } from './audit-sentence.js';
import { pagination } from './pagination.js';

export interface AuditFilterState {
  actor: string;
  action: string;
  account: string;
}

const MONEY_FIELDS = new Set([
  'amount',
  'balance',
  'openingBalance',
  'settled',
  'debited',
  'outstanding',
  'balanceBefore',
  'balanceAfter',
  'refund',
  'asked',
  'received',
  'credited',
]);

function detailValue(page: PageContext, key: string, value: unknown): SafeHtml | string {
  const { lang } = page;
  const m = am(page);
  if (typeof value === 'boolean') return value ? m.services.yes : m.services.no;
  if (typeof value === 'number') {
    if (key === 'orderId') return html`<a href="/admin/orders/${value}">#${value}</a>`;
    if (key === 'serviceId') return html`<a href="/admin/services/${value}">#${value}</a>`;
    if (key === 'rateUnits') return formatMoney(lang, value);
    if (key === 'markupBasisPoints') return `${formatInteger(lang, value / 100)}%`;
    return formatInteger(lang, value);
  }
  if (typeof value !== 'string') return JSON.stringify(value);
  const units = MONEY_FIELDS.has(key) ? parseEuros(value) : undefined;
  if (units !== undefined) return formatMoney(lang, units);
  if (key === 'status' || key === 'statusBefore' || key === 'statusAfter') {
    if (Object.hasOwn(m.customers.statuses, value)) return wordOf(m.customers.statuses, value);
    const tickets = supportMessages(lang).statuses;
    return Object.hasOwn(tickets, value) ? wordOf(tickets, value) : wordOf(page.t.orders.statuses, value);
  }
  if (key === 'category') return categoryName(lang, value);
  if (key === 'type') return wordOf(m.services.types, value);
  if (key === 'linkType') return wordOf(page.t.orders.linkTypes, value);
  if (key === 'backend') return backendLabel(page, value);
  return value;
}

/** An audit row as a sentence in the admin's language (audit-sentence.ts); unreadable JSON as it is. */
function entrySentence(page: PageContext, row: AuditRow): SafeHtml {
  let details: unknown;
  try {
    details = JSON.parse(row.details_json);
  } catch {
    return html`<span class="mono">${row.details_json}</span>`;
  }
  if (details === null || typeof details !== 'object')
    return html`<span class="mono">${row.details_json}</span>`;
  return auditSentence(
    page,
    {
      actor: row.actor,
      action: row.action,
      targetEmail: row.target_email,
      details: details as Record<string, unknown>,
    },
    (key, value) => detailValue(page, key, value),
  );
}

export function adminAuditPage(
  page: PageContext,
  result: Paged<AuditRow>,
  filter: AuditFilterState,
): SafeHtml {
  const { lang, t } = page;
  const m = am(page).audit;
  const rows = result.rows.map(
    (row) => html`<tr data-audit-id="${row.id}" data-action="${row.action}">
      <td data-label="${m.time}" class="nowrap">${formatDateTime(lang, row.created_at)}</td>
      <td data-label="${m.actor}" class="link-cell">${row.actor}</td>
      <td data-label="${m.action}"><span class="badge">${wordOf(m.actions, row.action)}</span></td>
      <td data-label="${m.target}" class="link-cell">${
        row.target_account_id === null
          ? ''
          : html`<a href="/admin/customers/${row.target_account_id}">${row.target_email ?? `#${row.target_account_id}`}</a>`
      }</td>
      <td data-label="${m.details}">${entrySentence(page, row)}</td>
    </tr>`,
  );
  return adminLayout(page, {
    section: 'audit',
    title: m.title,
    body: html`<section class="card">
      <form method="get" action="/admin/audit" class="filters filters-4" role="search">
        ${field({ id: 'actor', label: m.actorFilter, input: html`<input id="actor" name="actor" type="search" value="${filter.actor}" maxlength="200">` })}
        ${field({
          id: 'action',
          label: m.actionFilter,
          input: html`<select id="action" name="action"><option value="">${t.common.all}</option>${Object.entries(
            m.actions,
          ).map(
            ([value, label]) =>
              html`<option value="${value}"${attr('selected', value === filter.action)}>${label}</option>`,
          )}</select>`,
        })}
        ${field({ id: 'account', label: m.accountFilter, input: html`<input id="account" name="account" type="text" inputmode="numeric" value="${filter.account}" maxlength="15">` })}
        <button type="submit" class="button">${am(page).filter}</button>
      </form>
      ${tableOrEmpty(
        result.rows,
        m.empty,
        () => html`<div class="table-wrap"><table class="responsive audit-table">
        <thead><tr><th scope="col">${m.time}</th><th scope="col">${m.actor}</th><th scope="col">${m.action}</th><th scope="col">${m.target}</th><th scope="col">${m.details}</th></tr></thead>
        <tbody>${rows}</tbody></table></div>`,
      )}
      ${pagination(page, { path: '/admin/audit', query: queryOf({ ...filter }), page: result.page, pageCount: result.pageCount })}
    </section>`,
  });
}
