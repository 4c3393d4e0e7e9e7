import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { registerAdminRoutes } from './admin-routes.js';
import { assetUrl, loadAssets, registerAssets } from './assets.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { registerEmailAccountRoutes } from './email-account-routes.js';
import { registerFundsRoutes } from './funds-routes.js';
import { registerLedgerRoutes } from './ledger-routes.js';
import { registerMassOrderRoutes } from './mass-order-routes.js';
import { registerOrderDetailRoutes } from './order-detail-routes.js';
import { registerOrderRoutes } from './order-routes.js';
import { registerPaymentsRoutes } from './payments-routes.js';
import { registerPublicRoutes } from './public-routes.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerSupportRoutes } from './support-routes.js';
import { registerTwoFactorRoutes } from './two-factor-routes.js';
import { loadWebState, type WebOptions } from './web-context.js';
import { sendError } from './web-reply.js';

function webErrorStatus(error: unknown): 400 | 403 | 500 {
  const { statusCode, code } = error as { statusCode?: number; code?: string };
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') return 403;
  return statusCode !== undefined && statusCode >= 400 && statusCode < 500 ? 400 : 500;
}

/**
 * CSRF: every POST (forms, the statement's multipart upload, the visitor's log-in and sign-up)
 * must carry a `_csrf` field made from the session's (or visitor's) secret; headers are not read.
 */
async function registerCsrf(web: FastifyInstance): Promise<void> {
  await web.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/session',
    sessionKey: 'csrfSecret',
    getToken: (request) => {
      const token = (request.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
  });
  web.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (request.method !== 'POST') return done();
    web.csrfProtection(request, reply, done);
  });
}

/**
 * The web in a scope of its own: security headers, assets, cookies, CSRF and pages with their
 * HTML error handler. /api/v2 and the webhook sit outside it, so they run none of its hooks and
 * keep their JSON errors.
 */
export async function registerWeb(
  app: FastifyInstance,
  options: { ctx: AppContext; secureCookies: boolean },
) {
  const assets = loadAssets();
  const webOptions: WebOptions = { ...options, assetUrl: (name) => assetUrl(assets, name) };
  await app.register(async (web) => {
    await registerSecurityHeaders(web, options);
    await registerAssets(web, assets);
    await web.register(async (pages) => registerPages(pages, webOptions));
  });
}

async function registerPages(web: FastifyInstance, webOptions: WebOptions): Promise<void> {
  await web.register(fastifyCookie);
  await registerCsrf(web);
  web.decorateRequest('web', null as unknown as never);
  web.decorateRequest('session', null as unknown as never);
  web.addHook('onRequest', (request, reply) => loadWebState(request, reply, webOptions));
  web.setErrorHandler(async (error, request, reply) => {
    const status = webErrorStatus(error);
    if (status === 500) request.log.error({ err: error }, 'web request failed');
    // The hook may have failed before request.web was built: fall back to plain text.
    if (!request.web) return reply.code(status).type('text/plain; charset=utf-8').send(String(status));
    return sendError(reply, request, status, status === 403 ? request.web.page.t.errors.csrf : undefined);
  });
  registerPublicRoutes(web, webOptions);
  registerAuthRoutes(web, webOptions);
  registerTwoFactorRoutes(web, webOptions);
  registerEmailAccountRoutes(web, webOptions);
  registerDashboardRoutes(web, webOptions);
  registerOrderRoutes(web, webOptions);
  registerMassOrderRoutes(web, webOptions);
  registerOrderDetailRoutes(web, webOptions);
  registerLedgerRoutes(web, webOptions);
  registerFundsRoutes(web, webOptions);
  registerPaymentsRoutes(web, webOptions);
  registerSupportRoutes(web, webOptions);
  registerAdminRoutes(web, webOptions);
  // Every other GET outside /api gets the HTML 404 page (the API keeps its JSON 404).
  web.get('/*', async (request, reply) => sendError(reply, request, 404));
}
