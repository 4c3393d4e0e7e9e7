import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { checkReadiness, type Storage, type WorkerPulse } from '../app/check-readiness.js';
import type { AppContext } from '../app/context.js';
import { renderMetrics } from '../observability/collect-metrics.js';

export interface OperationsOptions {
  readonly storage: Storage;
  /** The worker running in this process, if one does. */
  readonly worker?: (() => WorkerPulse | undefined) | undefined;
  /**
   * Who may read /metrics on this server: holders of a bearer token, anyone (the separate
   * METRICS_PORT, which the operator keeps off the public network), or nobody (404: the
   * default on the public port when no token is set, since the figures describe the business).
   */
  readonly metricsAccess: { readonly token: string } | 'open' | 'off';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** Compared as hashes, in constant time: the answer does not say how much of a guess was right. */
function hasBearerToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(sha256(match[1] as string), sha256(token));
}

/** /healthz (the process answers), /readyz (it can serve: see check-readiness.ts) and /metrics. */
export function registerOperationsRoutes(app: FastifyInstance, ctx: AppContext, options: OperationsOptions) {
  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );
  app.get('/readyz', async (_request, reply) => {
    const readiness = await checkReadiness(ctx, { storage: options.storage, worker: options.worker?.() });
    const { isReady, ...checks } = readiness;
    return reply
      .code(isReady ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: isReady ? 'ready' : 'not_ready', ...checks });
  });
  const access = options.metricsAccess;
  if (access === 'off') return;
  app.get('/metrics', async (request, reply) => {
    if (access !== 'open' && !hasBearerToken(request.headers.authorization, access.token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized' });
    }
    const { contentType, text } = await renderMetrics({ ctx, poolUse: options.storage.poolUse });
    return reply.header('cache-control', 'no-store').type(contentType).send(text);
  });
}

/** The separate METRICS_PORT server: /metrics open, and the two probes, nothing else. */
export async function buildOperationsServer(
  ctx: AppContext,
  options: Omit<OperationsOptions, 'metricsAccess'>,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerOperationsRoutes(app, ctx, { ...options, metricsAccess: 'open' });
  return app;
}
