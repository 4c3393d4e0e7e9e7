import type { ReportTable } from '../../app/export-report-csv.js';
import { type BusinessReport, OWN_PROVIDER, type ReportLine } from '../../app/get-business-report.js';
import { html, type SafeHtml } from '../html.js';
import { adminReportsMessages } from '../i18n/admin-reports.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, type Flash } from './admin-common.js';
import { adminMoneyChart } from './admin-money-chart.js';

const CUSTOMERS_SHOWN = 20;

function csvLink(page: PageContext, report: BusinessReport, table: ReportTable): SafeHtml {
  const m = adminReportsMessages(page.lang);
  const query = new URLSearchParams({ table, from: report.period.fromDay, to: report.period.toDay });
  return html`<a class="button small" href="/admin/reports.csv?${query.toString()}" data-testid="csv-${table}">${m.csv}</a>`;
}

function reportTable(
  page: PageContext,
  options: {
    id: string;
    title: string;
    keyTitle: string;
    lines: ReportLine[];
    csv: SafeHtml;
    empty: string;
    label?: (l: ReportLine) => SafeHtml | string;
  },
): SafeHtml {
  const m = adminReportsMessages(page.lang);
  const money = (units: number) => formatMoney(page.lang, units);
  const rows = options.lines.map(
    (l) => html`<tr${l.marginUnits < 0 ? html` class="is-loss"` : ''}>
      <td data-label="${options.keyTitle}">${options.label ? options.label(l) : l.label}</td>
      <td data-label="${m.orders}" class="num">${formatInteger(page.lang, l.orders)}</td>
      <td data-label="${m.revenue}" class="num nowrap">${money(l.chargeUnits)}</td>
      <td data-label="${m.refunds}" class="num nowrap">${money(l.refundedUnits)}</td>
      <td data-label="${m.net}" class="num nowrap">${money(l.netUnits)}</td>
      <td data-label="${m.cost}" class="num nowrap">${money(l.costUnits)}</td>
      <td data-label="${m.margin}" class="num nowrap">${money(l.marginUnits)}</td></tr>`,
  );
  return html`<section class="card" aria-labelledby="${options.id}">
    <div class="page-head"><h2 id="${options.id}">${options.title}</h2>${options.csv}</div>
    ${
      options.lines.length === 0
        ? html`<p class="muted">${options.empty}</p>`
        : html`<div class="table-wrap"><table class="responsive" data-testid="${options.id}">
      <thead><tr><th scope="col">${options.keyTitle}</th><th scope="col" class="num">${m.orders}</th><th scope="col" class="num">${m.revenue}</th>
      <th scope="col" class="num">${m.refunds}</th><th scope="col" class="num">${m.net}</th><th scope="col" class="num">${m.cost}</th><th scope="col" class="num">${m.margin}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>`
    }
  </section>`;
}

function stat(label: string, value: string, testId: string, note?: string): SafeHtml {
  return html`<section class="card"><p class="stat-label">${label}</p><p class="stat-value" data-testid="${testId}">${value}</p>${
    note ? html`<p class="muted small">${note}</p>` : ''
  }</section>`;
}

/** The operator's business report for a period: totals, a chart per day, and the tables. */
export function adminReportsPage(page: PageContext, report: BusinessReport, flash?: Flash): SafeHtml {
  const m = adminReportsMessages(page.lang);
  const { lang } = page;
  const { totals, period } = report;
  const chartDays = report.days.map((d) => ({
    day: d.key,
    noonMs: d.noonMs,
    revenueUnits: d.chargeUnits,
    refundUnits: d.refundedUnits,
  }));
  const table = (id: ReportTable, title: string, keyTitle: string, lines: ReportLine[], empty = m.empty) =>
    reportTable(page, { id: `report-${id}`, title, keyTitle, lines, csv: csvLink(page, report, id), empty });
  const customers = report.customers.slice(0, CUSTOMERS_SHOWN);
  return adminLayout(page, {
    section: 'reports',
    title: m.title,
    ...(flash ? { flash } : {}),
    body: html`<p class="muted">${m.lead}</p>
    <form method="get" action="/admin/reports" class="card filters filters-dates">
      <label>${m.from} <input type="date" name="from" value="${period.fromDay}" required></label>
      <label>${m.to} <input type="date" name="to" value="${period.toDay}" required></label>
      <button type="submit" class="button button-primary">${m.show}</button>
    </form>
    <div class="grid grid-4 admin-stats">
      ${stat(m.orders, formatInteger(lang, totals.orders), 'report-orders')}
      ${stat(m.net, formatMoney(lang, totals.netUnits), 'report-net', m.netOf(formatMoney(lang, totals.chargeUnits), formatMoney(lang, totals.refundedUnits)))}
      ${stat(m.cost, formatMoney(lang, totals.costUnits), 'report-cost')}
      ${stat(m.margin, formatMoney(lang, totals.marginUnits), 'report-margin')}
    </div>
    <section class="card" aria-labelledby="report-chart-title"><h2 id="report-chart-title">${m.byDay}</h2>${adminMoneyChart(page, chartDays)}</section>
    ${table('losing', m.losing, m.service, report.losingServices, m.noLosing)}
    ${table('services', m.byService, m.service, report.services)}
    ${reportTable(page, {
      id: 'report-providers',
      title: m.byProvider,
      keyTitle: m.provider,
      lines: report.providers,
      csv: csvLink(page, report, 'providers'),
      empty: m.empty,
      label: (l) => (l.key === OWN_PROVIDER ? m.ownDelivery : l.label),
    })}
    ${table('customers', m.topCustomers, m.customer, customers)}
    ${
      report.customers.length > CUSTOMERS_SHOWN
        ? html`<p class="muted small">${m.customersShown(formatInteger(lang, CUSTOMERS_SHOWN), formatInteger(lang, report.customers.length))}</p>`
        : ''
    }
    ${table('days', m.byDay, m.day, report.days)}`,
  });
}
