import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { tokensMatch } from '../../app/web-session-tokens.js';
import { registerAdminRoutes } from './admin-routes.js';
import { assetUrl, loadAssets, registerAssets } from './assets.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { registerFundsRoutes } from './funds-routes.js';
import { registerLedgerRoutes } from './ledger-routes.js';
import { registerOrderRoutes } from './order-routes.js';
import { registerPaymentsRoutes } from './payments-routes.js';
import { registerPublicRoutes } from './public-routes.js';
import { registerSecurityHeaders } from './security-headers.js';
import { loadWebState, type WebOptions } from './web-context.js';
import { sendError } from './web-reply.js';

/** CSRF: every POST must carry the `_csrf` field equal to the session's (or visitor's) token. */
async function checkCsrf(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method !== 'POST') return;
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (!tokensMatch(request.web.csrfToken, body._csrf)) {
    await sendError(reply, request, 403, request.web.page.t.errors.csrf);
  }
}

function webErrorStatus(error: unknown): 400 | 500 {
  const statusCode = (error as { statusCode?: number }).statusCode;
  return statusCode !== undefined && statusCode >= 400 && statusCode < 500 ? 400 : 500;
}

/**
 * The web: security headers and assets on the root, pages in a scoped plugin with its own
 * HTML error handler, so /api/v2 keeps its JSON errors.
 */
export async function registerWeb(
  app: FastifyInstance,
  options: { ctx: AppContext; secureCookies: boolean },
) {
  registerSecurityHeaders(app, options);
  const assets = loadAssets();
  registerAssets(app, assets);
  const webOptions: WebOptions = { ...options, assetUrl: (name) => assetUrl(assets, name) };
  await app.register(async (web) => {
    web.decorateRequest('web', null as unknown as never);
    web.addHook('onRequest', (request, reply) => loadWebState(request, reply, webOptions));
    web.addHook('preHandler', checkCsrf);
    web.setErrorHandler(async (error, request, reply) => {
      const status = webErrorStatus(error);
      if (status === 500) request.log.error({ err: error }, 'web request failed');
      // The hook may have failed before request.web was built: fall back to plain text.
      if (!request.web) return reply.code(status).type('text/plain; charset=utf-8').send(String(status));
      return sendError(reply, request, status);
    });
    registerPublicRoutes(web, webOptions);
    registerAuthRoutes(web, webOptions);
    registerDashboardRoutes(web, webOptions);
    registerOrderRoutes(web, webOptions);
    registerLedgerRoutes(web, webOptions);
    registerFundsRoutes(web, webOptions);
    registerPaymentsRoutes(web, webOptions);
    registerAdminRoutes(web, webOptions);
    // Every other GET outside /api gets the HTML 404 page (the API keeps its JSON 404).
    web.get('/*', async (request, reply) => sendError(reply, request, 404));
  });
}
