import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { resolveWebSession, type WebSession } from '../../app/resolve-web-session.js';
import { newSecretToken } from '../../app/web-session-tokens.js';
import { DEFAULT_LANG, isLang, type Lang, messagesFor } from '../../web/i18n/index.js';
import type { PageContext } from '../../web/page-context.js';
import { parseCookies, setCookie } from './cookies.js';

export interface WebOptions {
  ctx: AppContext;
  secureCookies: boolean;
  assetUrl(name: string): string;
}

/** The per-request state of a web page: language, session, CSRF token, page context. */
export interface WebState {
  lang: Lang;
  session?: WebSession;
  /** The session's CSRF token, or the anonymous visitor's (double-submit cookie). */
  csrfToken: string;
  /** The cookie token of the session (for log-out and password change). */
  sessionToken?: string;
  page: PageContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    web: WebState;
  }
}

export function cookieNames(secure: boolean) {
  // __Host- binds the cookie to this exact origin over HTTPS; browsers reject it on plain HTTP.
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}inspiria_session`, csrf: `${prefix}inspiria_csrf`, lang: 'lang' };
}

function languageOf(
  request: FastifyRequest,
  cookies: Map<string, string>,
): { lang: Lang; fromQuery: boolean } {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (isLang(query.lang)) return { lang: query.lang, fromQuery: true };
  const cookie = cookies.get('lang');
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
  const cookies = parseCookies(request.headers.cookie);
  const { lang, fromQuery } = languageOf(request, cookies);
  if (fromQuery && cookies.get('lang') !== lang) {
    setCookie(reply, names.lang, lang, { secure: options.secureCookies, maxAgeSeconds: 365 * 24 * 3600 });
  }
  const sessionToken = cookies.get(names.session);
  const session = sessionToken ? await resolveWebSession(options.ctx, { token: sessionToken }) : undefined;
  let csrfToken = session?.csrfToken ?? cookies.get(names.csrf) ?? '';
  if (!session && !/^[A-Za-z0-9_-]{43}$/.test(csrfToken)) {
    csrfToken = newSecretToken();
    setCookie(reply, names.csrf, csrfToken, { secure: options.secureCookies });
  }
  const path = new URL(request.url, 'http://localhost').pathname;
  const account = session
    ? { id: session.account.id, email: session.account.email, role: session.account.role }
    : undefined;
  request.web = {
    lang,
    csrfToken,
    ...(session ? { session } : {}),
    ...(session && sessionToken ? { sessionToken } : {}),
    page: {
      lang,
      t: messagesFor(lang),
      ...(account ? { account } : {}),
      csrfToken,
      path,
      langUrl: (target) => urlInLanguage(request, target),
      asset: options.assetUrl,
    },
  };
}
