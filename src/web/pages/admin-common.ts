import { isDomainError } from '../../domain/errors.js';
import { notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { type AdminMessages, adminMessages } from '../i18n/admin.js';
import { refusalSentence } from '../i18n/refusals.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout, unreadBadge } from '../layout.js';
import type { PageContext } from '../page-context.js';

export type AdminSection =
  | 'overview'
  | 'customers'
  | 'orders'
  | 'payments'
  | 'queue'
  | 'services'
  | 'providers'
  | 'reports'
  | 'audit'
  | 'support';

const SECTIONS: readonly { id: AdminSection; href: string }[] = [
  { id: 'overview', href: '/admin' },
  { id: 'customers', href: '/admin/customers' },
  { id: 'orders', href: '/admin/orders' },
  { id: 'payments', href: '/admin/payments' },
  { id: 'queue', href: '/admin/queue' },
  { id: 'services', href: '/admin/services' },
  { id: 'providers', href: '/admin/providers' },
  { id: 'reports', href: '/admin/reports' },
  { id: 'audit', href: '/admin/audit' },
  { id: 'support', href: '/admin/support' },
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
      html`<li><a href="${s.href}"${s.id === options.section ? html` aria-current="page"` : ''}>${m.nav[s.id]}${s.id === 'support' ? unreadBadge(page, page.unreadTickets?.desk ?? 0) : ''}</a></li>`,
  );
  return layout(page, {
    title: `${options.title} · ${m.title}`,
    body: html`<nav class="admin-nav" aria-label="${m.nav.label}"><ul>${tabs}</ul></nav>
    <div class="page-head"><h1>${options.title}</h1>${options.actions ? html`<div class="actions">${options.actions}</div>` : ''}</div>
    ${options.flash ? notice(options.flash.kind, options.flash.message) : ''}
    ${options.body}`,
  });
}

/**
 * What the admin reads when a use case refuses, in the admin's language; undefined for anything
 * that is not a refusal (the 500 page takes it).
 */
export function refusalMessage(page: PageContext, error: unknown): string | undefined {
  return isDomainError(error) ? refusalSentence(error.refusal, page.lang) : undefined;
}

export function accountStatusBadge(page: PageContext, status: string): SafeHtml {
  const css = status === 'active' ? 'Completed' : 'Error';
  return html`<span class="badge badge-${css}">${wordOf(am(page).customers.statuses, status)}</span>`;
}

export function ledgerKindBadge(page: PageContext, kind: string): SafeHtml {
  return html`<span class="badge badge-${kind}">${wordOf(page.t.ledger.kinds, kind)}</span>`;
}

export function backendLabel(page: PageContext, backend: string): string {
  return wordOf(am(page).services.backends, backend);
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
