import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.js';
import { isDomainError } from '../domain/errors.js';
import { apiErrorText, codeToStatus } from './api-errors.js';
import { registerApiV2 } from './api-v2-route.js';
import { BODY_LIMIT_BYTES, IncorrectRequestError, registerBodyParsers } from './body-parsers.js';
import { type RateLimitSettings, TokenBuckets, TooManyRequestsError } from './rate-limit.js';
import { redactUrl } from './redact.js';
import { registerStripeWebhook } from './stripe-webhook-route.js';
import { parseFormFields } from './text-input.js';

export interface ServerOptions {
  ctx: AppContext;
  logger?: FastifyBaseLogger;
  /** Per-API-key rate limit on /api/v2; none when absent (contract §2, our addition). */
  rateLimit?: RateLimitSettings;
  /** Extra routes (the web) registered by the composition root. */
  register?: (app: FastifyInstance) => Promise<void> | void;
}

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
  const body = JSON.stringify({ error: text });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: false,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    // The query string is decoded like a form body: invalid UTF-8 is kept visible (text-input.ts).
    routerOptions: { querystringParser: (query) => parseFormFields(Buffer.from(query, 'latin1')) },
  });
  await registerBodyParsers(app);
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, body } = errorBody(error);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not found' }));
  const limiter = options.rateLimit && new TokenBuckets(options.rateLimit, () => options.ctx.clock.now());
  registerApiV2(app, options.ctx, limiter);
  await registerStripeWebhook(app, options.ctx);
  if (options.register) await options.register(app);
  return app;
}
