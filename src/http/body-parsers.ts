import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isApiV2Url } from './api-v2-path.js';
import { parseJsonExactly } from './exact-json.js';
import { parseMultipartBody } from './multipart-body.js';
import { decodeUtf8Strictly, parseFormFields } from './text-input.js';

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
    return isApiV2Url(request.url) ? parseJsonExactly(text) : JSON.parse(text);
  } catch {
    throw new IncorrectRequestError();
  }
}

/**
 * JSON, urlencoded and multipart bodies, each under the same 1 MiB limit. A body with no or
 * an unknown content type is read as JSON when it looks like JSON, else as a form, as the
 * PHP panels that forget the header expect. Bodies are read as bytes and decoded by
 * text-input.ts, so invalid UTF-8 reaches the field checks instead of becoming U+FFFD.
 * (Multipart fields are decoded by busboy, to U+FFFD: text, if not what was sent.)
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, parseJson(decodeUtf8Strictly(body as Buffer), request));
    } catch (error) {
      done(error as Error);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, parseFormFields(body as Buffer)),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, body, done) => {
    const bytes = body as Buffer;
    const text = decodeUtf8Strictly(bytes);
    try {
      done(null, /^\s*[[{]/.test(text) ? parseJson(text, request) : parseFormFields(bytes));
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
