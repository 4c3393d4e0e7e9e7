import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getDashboard } from '../../app/get-dashboard.js';
import { regenerateApiKey } from '../../app/regenerate-api-key.js';
import { setApiProfile } from '../../app/set-api-profile.js';
import { isApiProfile } from '../../domain/api-profile.js';
import { isDomainError } from '../../domain/errors.js';
import { refusalSentence } from '../../web/i18n/refusals.js';
import { dashboardPage } from '../../web/pages/dashboard-page.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireAccount, sendError, sendPage } from './web-reply.js';

/** The API's address as this customer reached us (behind no proxy: trustProxy is off). */
export function apiBaseUrl(request: FastifyRequest, secure: boolean): string {
  return `${secure ? 'https' : request.protocol}://${request.host}/api/v2`;
}

export function registerDashboardRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  web.get('/dashboard', { preHandler: requireAccount }, async (request, reply) => {
    const accountId = request.web.session?.account.id ?? 0;
    const dashboard = await getDashboard(ctx, { accountId });
    return sendPage(
      reply,
      dashboardPage(request.web.page, dashboard, {
        baseUrl: apiBaseUrl(request, options.secureCookies),
        profileSaved: queryText(request, 'done') === 'api-profile',
      }),
    );
  });

  // contract §13: the customer picks how /api/v2 words its answers; audited as their own change.
  web.post('/dashboard/api-profile', { preHandler: requireAccount }, async (request, reply) => {
    const accountId = request.web.session?.account.id ?? 0;
    const profile = formText(request, 'profile');
    if (!isApiProfile(profile)) return sendError(reply, request, 400);
    await setApiProfile(ctx, { accountId, profile, actor: `account:${accountId}` });
    return reply.redirect('/dashboard?done=api-profile#api-key', 303);
  });

  // The new key is shown in this response only (no-store), never stored in clear or redirected with.
  web.post('/dashboard/api-key', { preHandler: requireAccount }, async (request, reply) => {
    const accountId = request.web.session?.account.id ?? 0;
    let newKey: string;
    try {
      newKey = await regenerateApiKey(ctx, { accountId });
    } catch (error) {
      if (!isDomainError(error, 'email_unverified')) throw error;
      return sendError(reply, request, 403, refusalSentence(error.refusal, request.web.lang));
    }
    const dashboard = await getDashboard(ctx, { accountId });
    return sendPage(
      reply,
      dashboardPage(request.web.page, dashboard, {
        baseUrl: apiBaseUrl(request, options.secureCookies),
        newKey,
      }),
    );
  });
}
