import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonExactly } from './exact-json.js';
import { parseMultipartBody } from './multipart-body.js';

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
  // Fastify's own parsers enforce bodyLimit on the buffered body; the multipart parser reads
  // the stream itself and counts its bytes, refusing a declared length over the limit at once.
  app.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    const length = declaredLength(request);
    if (length !== undefined && length > BODY_LIMIT_BYTES) return done(new BodyTooLargeError(), undefined);
    parseMultipartBody(
      request,
      payload,
      { bodyBytes: BODY_LIMIT_BYTES },
      { tooLarge: () => new BodyTooLargeError(), incorrect: () => new IncorrectRequestError() },
    ).then(
      (fields) => done(null, fields),
      (error: Error) => done(error, undefined),
    );
  });
}
