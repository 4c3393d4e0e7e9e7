import type { FastifyInstance } from 'fastify';
import { landingPage } from '../../web/pages/landing-page.js';
import type { WebOptions } from './web-context.js';
import { sendPage } from './web-reply.js';

export function registerPublicRoutes(web: FastifyInstance, _options: WebOptions): void {
  web.get('/', async (request, reply) => sendPage(reply, landingPage(request.web.page)));
}
