import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiCaller, authenticateApiKey } from '../app/authenticate-api-key.js';
import { cancelOrders } from '../app/cancel-orders.js';
import type { AppContext } from '../app/context.js';
import { getKeyBalance } from '../app/get-key-balance.js';
import { getOrderStatusByKey, getOrderStatusesByKey } from '../app/get-order-statuses.js';
import { listServices } from '../app/list-services.js';
import { type OrderBatch, orderBatchTexts, readOrderBatch } from '../app/order-ids.js';
import { placeOrder } from '../app/place-order.js';
import { DomainError } from '../domain/errors.js';
import { isStorableText } from '../domain/storable-text.js';
import { integerParam, mergeParams, type RawParams, textParam } from './api-params.js';
import {
  balanceToWire,
  cancelAnswerToWire,
  JsonTextAnswer,
  StatusAnswer,
  StatusBatchAnswer,
  serviceToWire,
} from './api-responses.js';
import { API_V2_PATHS } from './api-v2-path.js';
import { IncorrectRequestError } from './body-parsers.js';
import type { ApiRateLimiter } from './rate-limit.js';

type ActionHandler = (
  ctx: AppContext,
  caller: ApiCaller,
  params: RawParams,
  request: FastifyRequest,
) => Promise<unknown>;

/** contract §7 and §8: `orders` wins over `order`; both are texts that key the response. */
function requestedOrders(params: RawParams): { batch: OrderBatch } | { single: string | undefined } {
  const orders = textParam(params, 'orders');
  if (orders !== undefined) return { batch: readOrderBatch(orders) };
  // contract §1: a single id is plain digits; ` 10` is malformed, not 10 (only a batch tolerates spaces).
  const single = textParam(params, 'order');
  return { single: single === '' ? undefined : single };
}

const actions: Readonly<Record<string, ActionHandler>> = {
  services: async (ctx, caller) =>
    (await listServices(ctx, { accountId: caller.accountId })).map(serviceToWire),

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
      // contract §13, parsed as strictly as `quantity` (§1).
      runs: integerParam(params, 'runs'),
      intervalMinutes: integerParam(params, 'interval'),
      idempotencyKey:
        typeof idempotencyKey === 'string' && idempotencyKey !== '' ? idempotencyKey : undefined,
    });
    return { order: placed.orderId };
  },

  cancel: async (ctx, caller, params) => {
    const requested = requestedOrders(params);
    // No usable id to key the answer by: the single-order error, as `status` answers it.
    if ('single' in requested && requested.single === undefined) throw new DomainError('incorrect_order_id');
    const orderIds = 'batch' in requested ? orderBatchTexts(requested.batch) : [requested.single as string];
    const outcomes = await cancelOrders(ctx, { accountId: caller.accountId, orderIds });
    return cancelAnswerToWire(outcomes, caller.profile);
  },

  refill: async () => {
    throw new DomainError('refill_not_supported');
  },
  refill_status: async () => {
    throw new DomainError('refill_not_supported');
  },
};

/**
 * The busiest actions check the key in the statement that reads their answer (contract §2): no
 * lookup before it, and a key revoked or an account suspended on any node is refused at once.
 */
type KeyedHandler = (ctx: AppContext, key: string | undefined, params: RawParams) => Promise<unknown>;

const keyedActions: Readonly<Record<string, KeyedHandler>> = {
  balance: async (ctx, key) => balanceToWire((await getKeyBalance(ctx, { key })).balanceUnits),

  status: async (ctx, key, params) => {
    const requested = requestedOrders(params);
    if ('single' in requested) {
      const { answer } = await getOrderStatusByKey(ctx, { key, orderId: requested.single });
      if (answer === undefined) throw new DomainError('incorrect_order_id');
      return new StatusAnswer(answer);
    }
    const answers = await getOrderStatusesByKey(ctx, { key, orders: requested.batch });
    return new StatusBatchAnswer(answers, answers.caller.profile);
  },
};

/** The actions /metrics labels requests by; any other is counted as `other`. */
export const API_ACTION_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(keyedActions),
  ...Object.keys(actions),
]);

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

const JSON_TYPE = 'application/json; charset=utf-8';

/** One API request, sent by POST or GET (contract §1 and §13): the same path for both. */
async function answerApiRequest(
  ctx: AppContext,
  limiter: ApiRateLimiter | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const params = mergeParams(request.query, request.body);
  const key = apiKeyOf(request, request.body);
  const unproven = await limiter?.admit(key, request.ip);
  const action = textParam(params, 'action');
  const keyed =
    action !== undefined && Object.hasOwn(keyedActions, action) ? keyedActions[action] : undefined;
  let answer: unknown;
  if (keyed) {
    answer = await keyed(ctx, key, params);
    if (unproven) await limiter?.authenticated(unproven);
  } else {
    const caller = await authenticateApiKey(ctx, { key });
    if (unproven) await limiter?.authenticated(unproven);
    const handler = action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!handler) throw new DomainError('invalid_action');
    answer = await handler(ctx, caller, params, request);
  }
  return answer instanceof JsonTextAnswer
    ? reply.type(JSON_TYPE).send(answer.toJsonText())
    : reply.send(answer);
}

export function registerApiV2(app: FastifyInstance, ctx: AppContext, limiter?: ApiRateLimiter): void {
  for (const url of API_V2_PATHS) {
    // contract §13: a GET is answered exactly like a POST with the same parameters (the query
    // string alone, as a query-only POST), rate limit and key check included. Fastify would
    // also derive a HEAD from the GET, running the whole request; HEAD has its own route below.
    app.route({
      method: ['POST', 'GET'],
      url,
      exposeHeadRoute: false,
      handler: (request, reply) => answerApiRequest(ctx, limiter, request, reply),
    });
    // contract §13: "HEAD answers 200 with no body (clients use it to test the connection)",
    // with no condition: a panel checks that the URL is reachable before it has saved a key,
    // so no key is read, nothing is counted against one, and nothing is looked up.
    app.route({
      method: 'HEAD',
      url,
      handler: async (_request, reply) => reply.code(200).type(JSON_TYPE).send(),
    });
    app.route({
      method: ['PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url,
      handler: async (_request, reply) => answerMethodNotAllowed(reply),
    });
  }
}

/** contract §1 and §13: any method but POST, GET and HEAD on the endpoint is 405 with a JSON error. */
export function answerMethodNotAllowed(reply: FastifyReply): FastifyReply {
  return reply.code(405).header('allow', ALLOWED_METHODS).send({ error: 'Method not allowed' });
}

export const ALLOWED_METHODS = 'POST, GET, HEAD';
