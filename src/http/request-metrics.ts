import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpRequestDuration, httpRequests } from '../observability/metrics.js';
import { isApiV2Url } from './api-v2-path.js';
import { API_ACTION_NAMES } from './api-v2-route.js';

const OPERATIONS_PATHS: ReadonlySet<string> = new Set(['/metrics', '/healthz', '/readyz']);

/**
 * The action label: the API action when it is one of ours, `operations` for the probes and
 * /metrics, `web` for the rest of the site.
 */
function actionLabel(request: FastifyRequest): string {
  if (!isApiV2Url(request.url))
    return OPERATIONS_PATHS.has(request.url.split('?')[0] ?? '') ? 'operations' : 'web';
  const fromBody = (request.body as Record<string, unknown> | undefined)?.action;
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.action;
  // contract §1: the body wins over the query, as in mergeParams.
  const action = typeof fromBody === 'string' ? fromBody : fromQuery;
  return typeof action === 'string' && API_ACTION_NAMES.has(action) ? action : 'other';
}

/**
 * Counts and times every answer, after it is sent: one hook, so the routes stay as they are.
 * The cost is a label lookup and two increments per request.
 */
export function registerRequestMetrics(app: FastifyInstance): void {
  // Named, so the route tree (and web-headers.test.ts) tells this hook from the web's.
  app.addHook('onResponse', function countRequest(request: FastifyRequest, reply: FastifyReply, done) {
    const labels = { action: actionLabel(request), status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
