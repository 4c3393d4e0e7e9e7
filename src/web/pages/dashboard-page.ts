import type { Dashboard } from '../../app/get-dashboard.js';
import { copyable, csrfField, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { apiProfileMessages } from '../i18n/api-profile.js';
import { formatDate, formatMoney } from '../i18n/format.js';
import { orderPageMessages } from '../i18n/order-page.js';
import { paymentMessages } from '../i18n/payments.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { apiProfileForm } from './api-profile-form.js';
import { tierCards } from './landing-page.js';
import { spendingChart } from './spending-chart.js';

function tierSection(page: PageContext, dashboard: Dashboard): SafeHtml {
  const { t, lang } = page;
  const { tier, next } = dashboard;
  const progress = next
    ? html`<progress class="tier-progress" max="${next.tier.fromUnits}" value="${dashboard.windowSpendUnits}" aria-label="${t.dashboard.tier}"></progress>
      <p class="small">${t.dashboard.toNext(formatMoney(lang, next.missingUnits), next.tier.name, next.tier.percent)}</p>`
    : html`<p class="small">${t.dashboard.topTier}</p>`;
  return html`<section class="card" aria-labelledby="tier-title">
    <p class="stat-label" id="tier-title">${t.dashboard.tier}</p>
    <p class="stat-value" data-testid="tier">${tier.name}</p>
    <p class="small">${t.dashboard.tierDiscount(tier.percent)}</p>
    <p class="muted small">${orderPageMessages(lang).dashboard.windowSpend(formatMoney(lang, dashboard.windowSpendUnits))}</p>
    ${progress}
  </section>`;
}

export interface DashboardOptions {
  baseUrl: string;
  newKey?: string;
  /** The profile was just changed: say so above the form. */
  profileSaved?: boolean;
}

function apiKeySection(page: PageContext, dashboard: Dashboard, options: DashboardOptions) {
  const { t, lang } = page;
  const key = dashboard.apiKey;
  return html`<section class="card" id="api-key" aria-labelledby="api-title">
    <h2 id="api-title">${t.dashboard.apiTitle}</h2>
    <p class="muted">${t.dashboard.apiLead}</p>
    <div class="stack">
      <div class="field"><label for="base-url">${t.dashboard.baseUrl}</label>${copyable(page, options.baseUrl, { id: 'base-url', label: t.dashboard.baseUrl })}</div>
      ${
        options.newKey
          ? html`<div class="field"><label for="new-api-key">${t.dashboard.keyLabel}</label>
              ${copyable(page, options.newKey, { id: 'new-api-key', label: t.dashboard.keyLabel })}</div>
              ${notice('info', t.dashboard.keyShownOnce)}`
          : html`<p class="small">${key ? t.dashboard.keyActive(key.prefix, formatDate(lang, key.createdAt)) : t.dashboard.keyNone}</p>`
      }
      <form method="post" action="/dashboard/api-key" data-confirm="${key && !options.newKey ? t.dashboard.regenerateConfirm : ''}">
        ${csrfField(page)}
        <button type="submit" class="button${key ? '' : ' button-primary'}">${key ? t.dashboard.regenerate : t.dashboard.generate}</button>
      </form>
      ${options.profileSaved ? notice('success', apiProfileMessages(lang).saved(dashboard.apiProfile)) : ''}
      ${apiProfileForm(page, { action: '/dashboard/api-profile', profile: dashboard.apiProfile })}
    </div>
  </section>`;
}

export function dashboardPage(page: PageContext, dashboard: Dashboard, options: DashboardOptions): SafeHtml {
  const { t, lang } = page;
  return layout(page, {
    title: t.dashboard.title,
    body: html`<div class="page-head"><h1>${t.dashboard.title}</h1>
      <div class="actions"><a class="button button-primary" href="/orders/new">${t.nav.newOrder}</a><a class="button" href="/orders">${t.nav.orders}</a></div></div>
    <div class="grid grid-2">
      <section class="card" aria-labelledby="balance-title">
        <p class="stat-label" id="balance-title">${t.dashboard.balance}</p>
        <p class="stat-value" data-testid="balance">${formatMoney(lang, dashboard.balanceUnits)}</p>
        <p class="muted small">${t.dashboard.balanceHint} <a href="/ledger">${t.nav.ledger}</a></p>
        <p class="balance-actions"><a class="button button-primary button-small" href="/funds">${paymentMessages(lang).nav.funds}</a>
        <a class="button button-small" href="/payments">${paymentMessages(lang).nav.payments}</a></p>
      </section>
      ${tierSection(page, dashboard)}
    </div>
    ${apiKeySection(page, dashboard, options)}
    <section class="card" aria-labelledby="spending-title">
      <h2 id="spending-title">${t.dashboard.spendingTitle}</h2>
      <p class="muted small" data-testid="chart-note">${orderPageMessages(lang).dashboard.chartNote}</p>
      ${spendingChart(page, dashboard.spending)}
    </section>
    <section class="card" aria-labelledby="tiers-title">
      <h2 id="tiers-title">${t.landing.tiersTitle}</h2>
      <p class="muted small">${t.landing.tiersLead}</p>
      ${tierCards(page, dashboard.tier.name)}
    </section>`,
  });
}
