import { csrfField } from './components.js';
import { html, type SafeHtml } from './html.js';
import { emailAccountMessages } from './i18n/email-accounts.js';
import { LANGS } from './i18n/index.js';
import { paymentMessages } from './i18n/payments.js';
import { supportMessages } from './i18n/support.js';
import type { PageContext } from './page-context.js';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Narrow centred column (forms) instead of the full width. */
  narrow?: boolean;
}

const NAV_HREFS = [
  '/dashboard',
  '/orders/new',
  '/orders',
  '/ledger',
  '/funds',
  '/payments',
  '/support',
  '/docs',
  '/admin',
  '/account',
  '/login',
];

/** The nav entry for this page: the longest matching prefix, so /orders/new is not also /orders. */
function currentNavHref(path: string): string | undefined {
  const matches = NAV_HREFS.filter((href) => path === href || path.startsWith(`${href}/`));
  return matches.sort((a, b) => b.length - a.length)[0];
}

function navLink(page: PageContext, href: string, label: string, badge?: SafeHtml): SafeHtml {
  const isCurrent = currentNavHref(page.path) === href;
  return html`<li><a href="${href}"${isCurrent ? html` aria-current="page"` : ''}>${label}${badge ?? ''}</a></li>`;
}

/** The desk's link, with the count of tickets holding an answer not yet read. */
function supportLink(page: PageContext): SafeHtml {
  const s = supportMessages(page.lang);
  return navLink(page, '/support', s.nav, unreadBadge(page, page.unreadTickets?.own ?? 0));
}

/** A small count beside a navigation link; its words are for screen readers. */
export function unreadBadge(page: PageContext, count: number): SafeHtml {
  if (count === 0) return html``;
  return html` <span class="nav-count" data-unread="${count}"><span aria-hidden="true">${count}</span><span class="visually-hidden">${supportMessages(page.lang).unread(count)}</span></span>`;
}

function navigation(page: PageContext): SafeHtml {
  const { t, account } = page;
  if (!account) {
    return html`${navLink(page, '/docs', t.nav.docs)}${navLink(page, '/login', t.nav.login)}
      <li><a class="button button-primary button-small" href="/signup">${t.nav.signup}</a></li>`;
  }
  const logout = html`<li><form method="post" action="/logout" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">${t.nav.logout}</button></form></li>`;
  const p = paymentMessages(page.lang).nav;
  // A suspended account reaches only the desk, and paying what it owes when that is the reason.
  if (account.isSuspended) {
    return html`${supportLink(page)}${account.owesMoney ? html`${navLink(page, '/funds', p.funds)}${navLink(page, '/payments', p.payments)}` : ''}
      ${navLink(page, '/docs', t.nav.docs)}${logout}`;
  }
  // An admin's "Payments" are everyone's, under /admin: its own stay one click away on the dashboard.
  const ownPayments = account.role === 'admin' ? '' : navLink(page, '/payments', p.payments);
  return html`${navLink(page, '/dashboard', t.nav.dashboard)}${navLink(page, '/orders/new', t.nav.newOrder)}
    ${navLink(page, '/orders', t.nav.orders)}${navLink(page, '/funds', p.funds)}
    ${ownPayments}${navLink(page, '/ledger', t.nav.ledger)}${supportLink(page)}
    ${navLink(page, '/docs', t.nav.docs)}${account.role === 'admin' ? navLink(page, '/admin', t.nav.admin, unreadBadge(page, page.unreadTickets?.desk ?? 0)) : ''}
    ${navLink(page, '/account', t.nav.account)}
    ${logout}`;
}

function languageSwitch(page: PageContext): SafeHtml {
  return html`<nav class="lang-switch" aria-label="${page.t.nav.language}"><ul>${LANGS.map(
    (lang) =>
      html`<li><a href="${page.langUrl(lang)}" hreflang="${lang}" lang="${lang}"${
        lang === page.lang ? html` aria-current="true"` : ''
      }>${lang.toUpperCase()}</a></li>`,
  )}</ul></nav>`;
}

/** The document around every page: header with navigation and language switch, footer. */
/** On every page of a signed-in account whose address is not confirmed yet, with "send it again". */
function unverifiedBanner(page: PageContext): SafeHtml | '' {
  if (page.account?.isEmailVerified !== false) return '';
  const words = emailAccountMessages(page.lang);
  return html`<div class="notice notice-info unverified-banner" role="status">
  <p class="unverified-banner-text">${words.unverifiedBanner}</p>
  <form method="post" action="/verify-email/resend">${csrfField(page)}<button type="submit" class="button button-small">${words.resendButton}</button></form>
</div>`;
}

export function layout(page: PageContext, options: PageOptions): SafeHtml {
  const { t } = page;
  return html`<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${t.brand}</title>
<link rel="stylesheet" href="${page.asset('app.css')}">
<link rel="icon" href="${page.asset('favicon.svg')}" type="image/svg+xml">
<script src="${page.asset('app.js')}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t.nav.skip}</a>
<header class="site-header">
  <div class="header-inner">
    <a class="brand" href="${page.account ? (page.account.isSuspended ? '/support' : '/dashboard') : '/'}"><span class="brand-mark" aria-hidden="true">i</span>${t.brand}</a>
    ${languageSwitch(page)}
    <button type="button" class="menu-toggle" aria-expanded="false" aria-controls="site-nav">${t.nav.menu}</button>
    <div class="header-nav" id="site-nav">
      <nav aria-label="${t.nav.menu}"><ul class="nav-list">${navigation(page)}</ul></nav>
    </div>
  </div>
</header>
<main id="main" class="${options.narrow ? 'container narrow' : 'container'}" tabindex="-1">
${unverifiedBanner(page)}
${options.body}
</main>
<footer class="site-footer"><div class="container">
  <p>© ${t.footer.rights}</p>
  <p><a href="/docs">${t.footer.api}</a>${page.account ? html` · ${t.auth.signedInAs(page.account.email)}` : ''}</p>
</div></footer>
</body>
</html>`;
}

/** A full page for an error (403, 404, 500): same layout, a heading and one sentence. */
export function errorPage(
  page: PageContext,
  title: string,
  message: string,
  link: { href: string; label: string } = { href: '/', label: page.t.nav.home },
): SafeHtml {
  return layout(page, {
    title,
    narrow: true,
    body: html`<section class="card"><h1>${title}</h1><p>${message}</p><p><a href="${link.href}">${link.label}</a></p></section>`,
  });
}
