import type { FastifyInstance } from 'fastify';
import { getServiceTimings } from '../../app/get-service-timings.js';
import { listServices } from '../../app/list-services.js';
import { docsPage } from '../../web/pages/docs-page.js';
import { landingPage } from '../../web/pages/landing-page.js';
import { apiBaseUrl } from './dashboard-routes.js';
import type { WebOptions } from './web-context.js';
import { sendPage } from './web-reply.js';

export function registerPublicRoutes(web: FastifyInstance, options: WebOptions): void {
  web.get('/', async (request, reply) => sendPage(reply, landingPage(request.web.page)));

  // Public: the catalog shows base prices to visitors and the discounted ones to a customer.
  web.get('/docs', async (request, reply) => {
    const accountId = request.web.session?.account.id;
    const services = await listServices(options.ctx, accountId === undefined ? {} : { accountId });
    const timings = await getServiceTimings(options.ctx, { services: services.map((p) => p.service) });
    const baseUrl = apiBaseUrl(request, options.secureCookies);
    return sendPage(reply, docsPage(request.web.page, { baseUrl, services, timings }));
  });
}
