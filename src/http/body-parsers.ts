import { parse as parseQueryString } from 'node:querystring';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonExactly } from './exact-json.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** A body that cannot be parsed: answered 400 `{"error":"Incorrect request"}` (contract §1). */
export class IncorrectRequestError extends Error {
  readonly statusCode = 400;
  constructor() {
    super('Incorrect request');
  }
}

/** A body over the 1 MiB limit: answered 413 (contract §1). */
export class BodyTooLargeError extends Error {
  readonly statusCode = 413;
  constructor() {
    super('Request body too large');
  }
}

function declaredLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/** Bytes of the fields a multipart body carried: a bound on a chunked body's size. */
function multipartFieldBytes(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 0;
  let total = 0;
  for (const [name, value] of Object.entries(body)) {
    total += Buffer.byteLength(name);
    for (const item of Array.isArray(value) ? value : [value]) {
      total += typeof item === 'string' ? Buffer.byteLength(item) : 0;
    }
  }
  return total;
}

function parseJson(text: string, request: FastifyRequest): unknown {
  // Real clients POST an empty body with everything in the query string (contract §1).
  if (text.trim() === '') return {};
  try {
    // Only /api/v2 reads integers by their text; the web's JSON keeps ordinary numbers.
    return isApiRequest(request) ? parseJsonExactly(text) : JSON.parse(text);
  } catch {
    throw new IncorrectRequestError();
  }
}

function isApiRequest(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0];
  return path === '/api/v2';
}

function parseForm(text: string): unknown {
  return { ...parseQueryString(text) };
}

/**
 * JSON, urlencoded and multipart bodies, each under the same 1 MiB limit. A body with no or
 * an unknown content type is read as JSON when it looks like JSON, else as a form, as the
 * PHP panels that forget the header expect.
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseJson(body as string, request));
    } catch (error) {
      done(error as Error);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseForm(body as string)),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (request: FastifyRequest, body, done) => {
    const text = body as string;
    try {
      done(null, /^\s*[[{]/.test(text) ? parseJson(text, request) : parseForm(text));
    } catch (error) {
      done(error as Error);
    }
  });
  // Fastify's own parsers enforce bodyLimit, but @fastify/multipart reads the raw stream and
  // knows only per-field limits: the declared length is checked before any byte is read, and
  // the fields of a chunked body once parsed (a field over the limit arrives truncated to it).
  app.addHook('onRequest', async (request) => {
    const length = declaredLength(request);
    if (length !== undefined && length > BODY_LIMIT_BYTES) throw new BodyTooLargeError();
    // busboy throws a bare Error (a 500) on a multipart type without its boundary.
    const contentType = request.headers['content-type'] ?? '';
    if (/^\s*multipart\//i.test(contentType) && !/;\s*boundary=/i.test(contentType)) {
      throw new IncorrectRequestError();
    }
  });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fieldSize: BODY_LIMIT_BYTES, fields: 100, files: 0, fileSize: 0 },
  });
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart() && multipartFieldBytes(request.body) >= BODY_LIMIT_BYTES) {
      throw new BodyTooLargeError();
    }
  });
}
