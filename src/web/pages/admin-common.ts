import { type DomainError, isDomainError } from '../../domain/errors.js';
import { notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { type AdminMessages, adminMessages } from '../i18n/admin.js';
import { formatInteger } from '../i18n/format.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

export type AdminSection =
  | 'overview'
  | 'customers'
  | 'orders'
  | 'payments'
  | 'queue'
  | 'services'
  | 'providers'
  | 'audit';

const SECTIONS: readonly { id: AdminSection; href: string }[] = [
  { id: 'overview', href: '/admin' },
  { id: 'customers', href: '/admin/customers' },
  { id: 'orders', href: '/admin/orders' },
  { id: 'payments', href: '/admin/payments' },
  { id: 'queue', href: '/admin/queue' },
  { id: 'services', href: '/admin/services' },
  { id: 'providers', href: '/admin/providers' },
  { id: 'audit', href: '/admin/audit' },
];

/** A message shown above the page: a success after a redirect, or why a form was refused. */
export type Flash = { kind: 'success' | 'error' | 'info'; message: string };

export function am(page: PageContext): AdminMessages {
  return adminMessages(page.lang);
}

/** Every admin page: the site layout, the admin's own section tabs, a heading and a flash. */
export function adminLayout(
  page: PageContext,
  options: { section: AdminSection; title: string; body: SafeHtml; actions?: SafeHtml; flash?: Flash },
): SafeHtml {
  const m = am(page);
  const tabs = SECTIONS.map(
    (s) =>
      html`<li><a href="${s.href}"${s.id === options.section ? html` aria-current="page"` : ''}>${m.nav[s.id]}</a></li>`,
  );
  return layout(page, {
    title: `${options.title} · ${m.title}`,
    body: html`<nav class="admin-nav" aria-label="${m.nav.label}"><ul>${tabs}</ul></nav>
    <div class="page-head"><h1>${options.title}</h1>${options.actions ? html`<div class="actions">${options.actions}</div>` : ''}</div>
    ${options.flash ? notice(options.flash.kind, options.flash.message) : ''}
    ${options.body}`,
  });
}

type Refusals = AdminMessages['refusals'];

/** The use cases' refusals we know, by their (English, stable) text: shown in the admin's language. */
const REFUSALS: readonly [RegExp, (r: Refusals, match: RegExpExecArray, page: PageContext) => string][] = [
  [/^name must have/, (r) => r.serviceName],
  [/^category must have/, (r) => r.serviceCategory],
  [/^link type must be/, (r) => r.linkType],
  [/^rate must be/, (r) => r.rate],
  [/^min and max must be/, (r) => r.minMax],
  [/^backend must be/, (r) => r.backend],
  [/^service (\d+|id) already exists/, (r) => r.serviceExists],
  [/^name must be 1 to 64/, (r) => r.providerName],
  [/^url must be an http/, (r) => r.providerUrl],
  [/^url must not contain credentials/, (r) => r.providerUrlCredentials],
  [/^key must be 8 to 500/, (r) => r.providerKey],
  [/^provider \S+ already exists/, (r) => r.providerExists],
  [/^markup must be/, (r) => r.markup],
  [/^only (\d+) of order \d+ remain/, (r, m, page) => r.tooMany(formatInteger(page.lang, Number(m[1])))],
  [/status is ([a-z ]+)$/, (r, m, page) => r.finalStatus(statusName(page, m[1] ?? ''))],
  [/does not support cancellation/, (r) => r.notCancellable],
  [
    /is delivered by (\S+), not by the operator/,
    (r, m, page) => r.notOperator(backendLabel(page, m[1] ?? '')),
  ],
];

/** "in progress" (as the domain words it) as the status's name on the page. */
function statusName(page: PageContext, lower: string): string {
  const status = Object.keys(page.t.orders.statuses).find((s) => s.toLowerCase() === lower);
  return status ? (page.t.orders.statuses[status] ?? lower) : lower;
}

/** The payment use cases refuse by code (never by prose): each code's text in the admin's language. */
function paymentRefusal(m: AdminMessages, error: DomainError): string | undefined {
  const r = m.payments.refusals;
  switch (error.code) {
    case 'payment_not_found':
      return r.paymentNotFound;
    case 'payment_not_pending': {
      const status = String(error.details.status ?? '');
      return r.paymentNotPending(m.payments.statuses[status] ?? status);
    }
    case 'deposit_out_of_range':
      return r.depositOutOfRange;
    case 'invalid_statement':
      return r.invalidStatement;
    default:
      return undefined;
  }
}

/** A provider's failure by its kind alone: the upstream's own words never reach the page. */
function providerRefusal(m: AdminMessages, error: DomainError): string | undefined {
  if (error.code === 'provider_url_forbidden') return m.providers.urlForbidden;
  if (error.code !== 'provider_call_failed') return undefined;
  const failures = m.providers.failures;
  const reason = String(error.details.reason);
  return Object.hasOwn(failures, reason) ? failures[reason as keyof typeof failures] : failures.unreachable;
}

/** What the admin reads when a use case refuses: translated where we know the case. */
export function refusalMessage(page: PageContext, error: unknown): string | undefined {
  if (!isDomainError(error)) return undefined;
  const m = am(page);
  if (error.code === 'not_found') return m.notFound;
  if (error.code === 'insufficient_balance') return m.customers.insufficient;
  const payment = paymentRefusal(m, error);
  if (payment !== undefined) return payment;
  const provider = providerRefusal(m, error);
  if (provider !== undefined) return provider;
  for (const [pattern, text] of REFUSALS) {
    const match = pattern.exec(error.message);
    if (match) return text(m.refusals, match, page);
  }
  return m.error(error.message);
}

export function accountStatusBadge(page: PageContext, status: string): SafeHtml {
  const css = status === 'active' ? 'Completed' : 'Error';
  return html`<span class="badge badge-${css}">${am(page).customers.statuses[status] ?? status}</span>`;
}

export function ledgerKindBadge(page: PageContext, kind: string): SafeHtml {
  return html`<span class="badge badge-${kind}">${page.t.ledger.kinds[kind] ?? kind}</span>`;
}

export function backendLabel(page: PageContext, backend: string): string {
  return am(page).services.backends[backend] ?? backend;
}

/** A table, or the "nothing here" sentence when it has no rows. */
export function tableOrEmpty(rows: readonly unknown[], empty: string, table: () => SafeHtml): SafeHtml {
  return rows.length === 0 ? html`<p class="muted">${empty}</p>` : table();
}

/** Non-empty query parameters, for pagination links that keep the filters. */
export function queryOf(values: Record<string, string | number | undefined>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') query[key] = String(value);
  }
  return query;
}
