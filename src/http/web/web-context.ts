import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { countUnreadTicketsFor } from '../../app/count-unread-tickets.js';
import { resolveWebSession, type WebSession } from '../../app/resolve-web-session.js';
import { newSecretToken } from '../../app/web-session-tokens.js';
import { DEFAULT_LANG, isLang, type Lang, messagesFor } from '../../web/i18n/index.js';
import type { PageContext } from '../../web/page-context.js';

export interface WebOptions {
  ctx: AppContext;
  secureCookies: boolean;
  assetUrl(name: string): string;
}

/** The per-request state of a web page: language, session, page context (with its CSRF token). */
export interface WebState {
  lang: Lang;
  session?: WebSession;
  /** The cookie token of the session (for log-out and password change). */
  sessionToken?: string;
  page: PageContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    web: WebState;
    /**
     * Where @fastify/csrf-protection (in its '@fastify/session' mode) reads the CSRF secret:
     * the server-side session's, or the anonymous visitor's (double-submit cookie).
     */
    session: { csrfSecret: string };
  }
}

export function cookieNames(secure: boolean) {
  // __Host- binds the cookie to this exact origin over HTTPS; browsers reject it on plain HTTP.
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}inspiria_session`,
    csrf: `${prefix}inspiria_csrf`,
    lang: 'lang',
    /** A right password waiting for its second factor (two-factor-routes.ts). */
    pendingSignIn: `${prefix}inspiria_pending`,
  };
}

/** Every cookie of the web: Path=/, SameSite=Lax, HttpOnly; no Max-Age makes a browser-session cookie. */
export function cookieOptions(secure: boolean, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    path: '/',
    sameSite: 'lax',
    httpOnly: true,
    secure,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

function languageOf(request: FastifyRequest): { lang: Lang; fromQuery: boolean } {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (isLang(query.lang)) return { lang: query.lang, fromQuery: true };
  const cookie = request.cookies.lang;
  return { lang: isLang(cookie) ? cookie : DEFAULT_LANG, fromQuery: false };
}

function urlInLanguage(request: FastifyRequest, lang: Lang): string {
  const url = new URL(request.url, 'http://localhost');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/** Builds request.web: run as the web plugin's first hook, before any guard or route. */
export async function loadWebState(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WebOptions,
): Promise<void> {
  const names = cookieNames(options.secureCookies);
  const { lang, fromQuery } = languageOf(request);
  if (fromQuery && request.cookies.lang !== lang) {
    reply.setCookie(names.lang, lang, cookieOptions(options.secureCookies, 365 * 24 * 3600));
  }
  const sessionToken = request.cookies[names.session];
  const session = sessionToken ? await resolveWebSession(options.ctx, { token: sessionToken }) : undefined;
  // A signed-in account's secret lives with its session on the server; a visitor's in a cookie.
  let csrfSecret = session?.csrfToken ?? request.cookies[names.csrf] ?? '';
  if (!session && !/^[A-Za-z0-9_-]{43}$/.test(csrfSecret)) {
    csrfSecret = newSecretToken();
    reply.setCookie(names.csrf, csrfSecret, cookieOptions(options.secureCookies));
  }
  request.session = { csrfSecret };
  // Salted afresh for each page (from the same secret), so the page never shows the secret itself.
  const csrfToken = reply.generateCsrf();
  const path = new URL(request.url, 'http://localhost').pathname;
  const account = session
    ? {
        id: session.account.id,
        email: session.account.email,
        role: session.account.role,
        isSuspended: session.account.status !== 'active',
        owesMoney: session.account.owesMoney,
        isEmailVerified: session.account.isEmailVerified,
      }
    : undefined;
  const unreadTickets = session
    ? await countUnreadTicketsFor(options.ctx, { accountId: session.account.id, role: session.account.role })
    : undefined;
  request.web = {
    lang,
    ...(session ? { session } : {}),
    ...(session && sessionToken ? { sessionToken } : {}),
    page: {
      lang,
      t: messagesFor(lang),
      ...(account ? { account } : {}),
      ...(unreadTickets ? { unreadTickets } : {}),
      csrfToken,
      path,
      langUrl: (target) => urlInLanguage(request, target),
      asset: options.assetUrl,
    },
  };
}
