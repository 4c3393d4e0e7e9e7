import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '../../web/html.js';
import { supportMessages } from '../../web/i18n/support.js';
import { errorPage } from '../../web/layout.js';

export function sendPage(reply: FastifyReply, page: SafeHtml, statusCode = 200): FastifyReply {
  // Pages show balances and keys: never kept by a shared cache or the back button's disk cache.
  return reply
    .code(statusCode)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page.value);
}

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  statusCode: 403 | 404 | 400 | 500,
  message?: string,
) {
  const { t } = request.web.page;
  const title =
    statusCode === 403
      ? t.errors.forbiddenTitle
      : statusCode === 404
        ? t.errors.notFoundTitle
        : t.errors.serverTitle;
  const text =
    message ??
    (statusCode === 403
      ? t.errors.forbidden
      : statusCode === 404
        ? t.errors.notFound
        : statusCode === 400
          ? t.errors.badRequest
          : t.errors.server);
  return sendPage(reply, errorPage(request.web.page, title, text), statusCode);
}

/**
 * The 403 of a suspended account: why, and the way to the support desk, which stays open to it.
 */
export function sendSuspended(reply: FastifyReply, request: FastifyRequest) {
  const { page } = request.web;
  const link = { href: '/support', label: supportMessages(page.lang).contact };
  return sendPage(reply, errorPage(page, page.t.errors.forbiddenTitle, page.t.auth.suspended, link), 403);
}

/**
 * Guard: any signed-in account, suspended ones included. Only for the support desk: a suspended
 * customer must still be able to ask why, and to see their balance while doing so.
 */
export async function requireSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.web.session) return;
  const next = encodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  await reply.redirect(`/login?next=${next}`, 303);
}

/**
 * Guard: a signed-in account, active or suspended by the panel for money owed. Only for paying
 * (/funds, /payments): a customer
 * suspended for an amount owed must still reach the page that settles it.
 */
export async function requireSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const session = request.web.session;
  if (!session) {
    const next = encodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    await reply.redirect(`/login?next=${next}`, 303);
    return;
  }
  // An operator's suspension is final here too; only the panel's own, for money owed, lets through.
  if (session.account.status !== 'active' && !session.account.owesMoney) await sendSuspended(reply, request);
}

/** Guard: a signed-in, active account; anyone else goes to the log-in page. */
export async function requireAccount(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireSignedIn(request, reply);
  const session = request.web.session;
  if (reply.sent || !session) return;
  if (session.account.status !== 'active') await sendSuspended(reply, request);
}

/** Where an admin without a second factor is sent before any admin page. */
export const TWO_FACTOR_SETUP_PATH = '/account/two-factor';

/**
 * Guard: an admin with a second factor. A customer gets 403, decided here on the server
 * whatever the page shows; an admin without a second factor is sent to set it up first.
 */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireAccount(request, reply);
  if (reply.sent) return;
  const account = request.web.session?.account;
  if (account?.role !== 'admin') {
    await sendError(reply, request, 403);
    return;
  }
  if (!account.hasTwoFactor) await reply.redirect(`${TWO_FACTOR_SETUP_PATH}?required=admin`, 303);
}
