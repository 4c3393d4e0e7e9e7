import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { AppContext } from '../app/context.js';
import { isDomainError } from '../domain/errors.js';
import { apiErrorText, codeToStatus } from './api-errors.js';
import { isApiV2Url } from './api-v2-path.js';
import { ALLOWED_METHODS, answerMethodNotAllowed, registerApiV2 } from './api-v2-route.js';
import { BODY_LIMIT_BYTES, IncorrectRequestError, registerBodyParsers } from './body-parsers.js';
import { type OperationsOptions, registerOperationsRoutes } from './operations-routes.js';
import {
  ApiRateLimiter,
  type RateLimitSettings,
  type SharedBuckets,
  TooManyRequestsError,
} from './rate-limit.js';
import { redactUrl } from './redact.js';
import { registerRequestMetrics } from './request-metrics.js';
import { registerStripeWebhook } from './stripe-webhook-route.js';
import { parseFormFields } from './text-input.js';

export interface ServerOptions {
  ctx: AppContext;
  logger?: FastifyBaseLogger;
  /** Per-API-key rate limit on /api/v2; none when absent (contract §2, our addition). */
  rateLimit?: RateLimitSettings;
  /** Buckets shared with the other nodes (Redis); each node keeps its own when absent. */
  sharedBuckets?: SharedBuckets | undefined;
  /** Extra routes (the web) registered by the composition root. */
  register?: (app: FastifyInstance) => Promise<void> | void;
  /** The defaults below; tests shorten them. */
  timeouts?: Partial<ServerTimeouts>;
  /** /healthz, /readyz and /metrics; absent in tests that build a bare API server. */
  operations?: OperationsOptions;
}

export interface ServerTimeouts {
  /** From the first byte to the whole request, body included: a slow body is cut off (408). */
  requestMs: number;
  /** For the request line and the headers. */
  headersMs: number;
  /** A socket silent this long is closed. */
  idleSocketMs: number;
  /** How long a kept-alive connection waits for its next request. */
  keepAliveMs: number;
}

/** Off in Fastify and long in Node: a client sending a byte a minute would hold a socket for ever. */
export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  requestMs: 30_000,
  headersMs: 10_000,
  idleSocketMs: 60_000,
  keepAliveMs: 5_000,
};

export const requestSerializers = {
  req(request: { method: string; url: string; id: string; ip?: string }) {
    return { method: request.method, url: redactUrl(request.url), id: request.id, ip: request.ip };
  },
};

/**
 * The panel's pino options. Besides the URL, a plugin may log a request's headers at trace
 * level: the key header and the session cookie are censored wherever such a `headers` object
 * appears (contract §2).
 */
export function loggerOptions(level: string) {
  const secretHeaders = ['["x-api-key"]', '.cookie', '.authorization'];
  const paths = secretHeaders.flatMap((header) => [`headers${header}`, `*.headers${header}`]);
  return { level, serializers: requestSerializers, redact: { paths, censor: '[redacted]' } };
}

function errorBody(error: unknown): { statusCode: number; body: { error: string } } {
  if (isDomainError(error))
    return { statusCode: codeToStatus(error.code), body: { error: apiErrorText(error.refusal) } };
  if (error instanceof TooManyRequestsError) return { statusCode: 429, body: { error: 'Too many requests' } };
  if (error instanceof IncorrectRequestError)
    return { statusCode: 400, body: { error: 'Incorrect request' } };
  const code = (error as { code?: string }).code;
  const statusCode = (error as { statusCode?: number }).statusCode;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE' || statusCode === 413) {
    return { statusCode: 413, body: { error: 'Request body too large' } };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return { statusCode: 400, body: { error: 'Incorrect request' } };
  }
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return { statusCode: 400, body: { error: 'Incorrect request' } };
  }
  return { statusCode: 500, body: { error: 'Internal error' } };
}

/**
 * What Node's HTTP parser refuses before any route runs (a NUL in a header, say) is answered in
 * the API's JSON shape (contract §1 and §13), as the framework's own default would not.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, text] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'Request header fields too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'Request timeout']
        : [400, 'Bad Request', 'Incorrect request'];
  if (socket.writable) socket.write(rawJsonError(status, reason, text));
  socket.destroy(error);
}

/** An HTTP/1.1 response written by hand, for the requests that never reach Fastify. */
function rawJsonError(status: number, reason: string, text: string, extraHeaders = ''): string {
  const body = JSON.stringify({ error: text });
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}` +
    `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * contract §1: CONNECT is refused like any method but POST. Node gives it to a 'connect'
 * listener rather than to the router, and without one it closes the connection unanswered.
 */
function answerConnect(_request: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => {});
  socket.end(rawJsonError(405, 'Method Not Allowed', 'Method not allowed', `Allow: ${ALLOWED_METHODS}\r\n`));
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const timeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: false,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleSocketMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
      // Node enforces the two timeouts above only when it checks its connections (every 30 s
      // by default), so it checks often enough for them to mean what they say.
      connectionsCheckingInterval: Math.max(
        10,
        Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4),
      ),
    },
    // A path Fastify cannot decode (`/api/v2%`) never reaches the error handler: answered in the
    // API's JSON shape too (contract §13), not the framework's own error object.
    frameworkErrors: (_error, _request, reply) =>
      (reply as FastifyReply)
        .code(400)
        .type('application/json; charset=utf-8')
        .send({ error: 'Incorrect request' }),
    // The query string is decoded like a form body: invalid UTF-8 is kept visible (text-input.ts).
    // Most API requests have none: a fresh empty object, as find-my-way's own parser answers,
    // instead of a buffer, a decode and a parse of nothing on every request (about 1 µs).
    routerOptions: {
      querystringParser: (query) => (query === '' ? {} : parseFormFields(Buffer.from(query, 'latin1'))),
    },
  });
  app.server.on('connect', answerConnect);
  await registerBodyParsers(app);
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, body } = errorBody(error);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    isApiV2Url(request.url) ? answerMethodNotAllowed(reply) : reply.code(404).send({ error: 'Not found' }),
  );
  const limiter =
    options.rateLimit &&
    new ApiRateLimiter(options.rateLimit, () => options.ctx.clock.now(), undefined, options.sharedBuckets);
  registerRequestMetrics(app);
  if (options.operations) registerOperationsRoutes(app, options.ctx, options.operations);
  registerApiV2(app, options.ctx, limiter);
  await registerStripeWebhook(app, options.ctx);
  if (options.register) await options.register(app);
  return app;
}
