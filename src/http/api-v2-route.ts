import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiCaller, authenticateApiKey } from '../app/authenticate-api-key.js';
import { cancelOrders } from '../app/cancel-orders.js';
import type { AppContext } from '../app/context.js';
import { getOrderStatuses } from '../app/get-order-statuses.js';
import { listServices } from '../app/list-services.js';
import { splitOrderBatch } from '../app/order-ids.js';
import { placeOrder } from '../app/place-order.js';
import { DomainError } from '../domain/errors.js';
import { isStorableText } from '../domain/storable-text.js';
import { integerParam, mergeParams, type RawParams, textParam } from './api-params.js';
import { balanceToWire, cancelOutcomeToWire, serviceToWire, statusToWire } from './api-responses.js';
import { IncorrectRequestError } from './body-parsers.js';
import type { ApiRateLimiter } from './rate-limit.js';

type ActionHandler = (
  ctx: AppContext,
  caller: ApiCaller,
  params: RawParams,
  request: FastifyRequest,
) => Promise<unknown>;

/** contract §7 and §8: `orders` wins over `order`; both are texts that key the response. */
function requestedOrders(params: RawParams): { batch: string[] } | { single: string | undefined } {
  const orders = textParam(params, 'orders');
  if (orders !== undefined) return { batch: splitOrderBatch(orders) };
  // contract §1: a single id is plain digits; ` 10` is malformed, not 10 (only a batch tolerates spaces).
  const single = textParam(params, 'order');
  return { single: single === '' ? undefined : single };
}

const actions: Readonly<Record<string, ActionHandler>> = {
  services: async (ctx, caller) =>
    (await listServices(ctx, { accountId: caller.accountId })).map(serviceToWire),

  // Authentication has just read the caller's account row, balance included; a second read of
  // that row would answer the same, at the cost of a query per request (npm run bench).
  balance: async (_ctx, caller) => balanceToWire(caller.balanceUnits),

  add: async (ctx, caller, params, request) => {
    const serviceId = integerParam(params, 'service');
    const idempotencyKey = request.headers['idempotency-key'];
    // Node's HTTP parser already refuses a NUL in a header and reads its bytes as Latin-1, so
    // this cannot happen today; were it to, dropping the key would silently lose idempotency.
    if (typeof idempotencyKey === 'string' && !isStorableText(idempotencyKey))
      throw new IncorrectRequestError();
    const placed = await placeOrder(ctx, {
      accountId: caller.accountId,
      serviceId: serviceId ?? undefined,
      link: textParam(params, 'link'),
      quantity: integerParam(params, 'quantity'),
      comments: textParam(params, 'comments'),
      idempotencyKey:
        typeof idempotencyKey === 'string' && idempotencyKey !== '' ? idempotencyKey : undefined,
    });
    return { order: placed.orderId };
  },

  status: async (ctx, caller, params) => {
    const requested = requestedOrders(params);
    if ('single' in requested) {
      const orderIds = requested.single === undefined ? [] : [requested.single];
      const view = (await getOrderStatuses(ctx, { accountId: caller.accountId, orderIds })).get(
        orderIds[0] ?? '',
      );
      if (!view) throw new DomainError('incorrect_order_id');
      return statusToWire(view);
    }
    const views = await getOrderStatuses(ctx, { accountId: caller.accountId, orderIds: requested.batch });
    const body: Record<string, unknown> = {};
    for (const [id, view] of views) body[id] = view ? statusToWire(view) : { error: 'Order not found' };
    return body;
  },

  cancel: async (ctx, caller, params) => {
    const requested = requestedOrders(params);
    // No usable id to key the answer by: the single-order error, as `status` answers it.
    if ('single' in requested && requested.single === undefined) throw new DomainError('incorrect_order_id');
    const orderIds = 'batch' in requested ? requested.batch : [requested.single as string];
    const outcomes = await cancelOrders(ctx, { accountId: caller.accountId, orderIds });
    const body: Record<string, unknown> = {};
    for (const [id, outcome] of outcomes) body[id] = cancelOutcomeToWire(outcome);
    return body;
  },

  refill: async () => {
    throw new DomainError('refill_not_supported');
  },
  refill_status: async () => {
    throw new DomainError('refill_not_supported');
  },
};

/**
 * contract §2: body `key`, else the X-Api-Key header, else the query `key`. A key no database
 * could store is no key we issued: it is answered Unauthorized, like an unknown one.
 */
function apiKeyOf(request: FastifyRequest, body: unknown): string | undefined {
  const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>).key : undefined;
  const header = request.headers['x-api-key'];
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.key;
  const key = [fromBody, header, fromQuery].find((value) => typeof value === 'string' && value !== '');
  return typeof key === 'string' && isStorableText(key) ? key : undefined;
}

export function registerApiV2(app: FastifyInstance, ctx: AppContext, limiter?: ApiRateLimiter): void {
  app.post('/api/v2', async (request: FastifyRequest, reply: FastifyReply) => {
    const params = mergeParams(request.query, request.body);
    const key = apiKeyOf(request, request.body);
    const unproven = limiter?.admit(key, request.ip);
    const caller = await authenticateApiKey(ctx, { key });
    if (unproven) limiter?.authenticated(unproven);
    const action = textParam(params, 'action');
    const handler = action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!handler) throw new DomainError('invalid_action');
    return reply.send(await handler(ctx, caller, params, request));
  });
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/api/v2',
    handler: async (_request, reply) => answerMethodNotAllowed(reply),
  });
}

/** contract §1: any method but POST on the endpoint is 405 with a JSON error. */
export function answerMethodNotAllowed(reply: FastifyReply): FastifyReply {
  return reply.code(405).header('allow', 'POST').send({ error: 'Method not allowed' });
}

/**
 * Whether a request no route matched was meant for the endpoint: the methods no route names
 * (TRACE, PROPFIND, PURGE, ... any Node's parser accepts) reach the not-found handler instead.
 */
export function isApiV2Url(url: string): boolean {
  return url.split('?', 1)[0] === '/api/v2';
}
