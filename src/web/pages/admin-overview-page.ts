import type { AdminOverview } from '../../app/get-admin-overview.js';
import type { ProviderSyncView } from '../../app/list-provider-syncs.js';
import type { LedgerReport } from '../../app/verify-ledger.js';
import { csrfField, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am } from './admin-common.js';
import { adminMoneyChart } from './admin-money-chart.js';
import { statusBadge } from './orders-page.js';
import { providerSyncSection } from './provider-sync-section.js';

function stat(label: string, value: string, hint?: string, testId?: string): SafeHtml {
  return html`<section class="card">
    <p class="stat-label">${label}</p>
    <p class="stat-value"${testId ? html` data-testid="${testId}"` : ''}>${value}</p>
    ${hint ? html`<p class="muted small">${hint}</p>` : ''}
  </section>`;
}

function ledgerSection(page: PageContext, report: LedgerReport | undefined): SafeHtml {
  const { lang } = page;
  const m = am(page).overview;
  const result = !report
    ? ''
    : report.ok
      ? notice(
          'success',
          m.verifyOk(formatInteger(lang, report.entries), formatInteger(lang, report.accounts)),
        )
      : notice(
          'error',
          html`${m.verifyBroken(report.violations.length)}<ul class="violations">${report.violations.map((v) => html`<li>${v}</li>`)}</ul>`,
        );
  return html`<section class="card" aria-labelledby="ledger-check-title">
    <h2 id="ledger-check-title">${m.verifyTitle}</h2>
    <p class="muted small">${m.verifyLead}</p>
    ${result}
    <form method="post" action="/admin/ledger/verify">${csrfField(page)}<button type="submit" class="button">${m.verifyButton}</button></form>
  </section>`;
}

export function adminOverviewPage(
  page: PageContext,
  overview: AdminOverview,
  ledger?: LedgerReport,
  syncs: ProviderSyncView[] = [],
): SafeHtml {
  const { lang } = page;
  const m = am(page);
  const { customers } = overview;
  return adminLayout(page, {
    section: 'overview',
    title: m.nav.overview,
    body: html`<div class="grid grid-4 admin-stats">
      ${stat(m.overview.revenue, formatMoney(lang, overview.revenueUnits), undefined, 'revenue')}
      ${stat(m.overview.refunds, formatMoney(lang, overview.refundUnits), undefined, 'refunds')}
      ${stat(m.overview.net, formatMoney(lang, overview.revenueUnits - overview.refundUnits))}
      ${stat(
        m.overview.activeCustomers,
        formatInteger(lang, customers.active),
        `${m.overview.suspendedCustomers(formatInteger(lang, customers.suspended))} · ${m.overview.orderingCustomers(formatInteger(lang, customers.ordering))}`,
        'active-customers',
      )}
    </div>
    <div class="admin-split">
      <section class="card" aria-labelledby="money-title">
        <h2 id="money-title">${m.overview.chartTitle}</h2>
        ${adminMoneyChart(page, overview.days)}
      </section>
      <section class="card" aria-labelledby="status-title">
        <h2 id="status-title">${m.overview.ordersByStatus}</h2>
        <table>
          <thead><tr><th scope="col">${page.t.orders.status}</th><th scope="col" class="num">${m.overview.count}</th></tr></thead>
          <tbody>${overview.ordersByStatus.map(
            (
              row,
            ) => html`<tr><td><a href="/admin/orders?status=${encodeURIComponent(row.status)}">${statusBadge(page, row.status)}</a></td>
              <td class="num" data-testid="status-${row.status}">${formatInteger(lang, row.count)}</td></tr>`,
          )}</tbody>
        </table>
      </section>
    </div>
    ${providerSyncSection(page, syncs, { withSettings: false })}
    ${ledgerSection(page, ledger)}`,
  });
}
