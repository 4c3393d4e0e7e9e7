import { parse as parseQueryString } from 'node:querystring';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** A body that cannot be parsed: answered 400 `{"error":"Incorrect request"}` (contract §1). */
export class IncorrectRequestError extends Error {
  readonly statusCode = 400;
  constructor() {
    super('Incorrect request');
  }
}

function parseJson(text: string): unknown {
  // Real clients POST an empty body with everything in the query string (contract §1).
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new IncorrectRequestError();
  }
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
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (error) {
      done(error as Error);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseForm(body as string)),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request: FastifyRequest, body, done) => {
    const text = body as string;
    try {
      done(null, /^\s*[[{]/.test(text) ? parseJson(text) : parseForm(text));
    } catch (error) {
      done(error as Error);
    }
  });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fieldSize: BODY_LIMIT_BYTES, fields: 100, files: 0, fileSize: 0 },
  });
}
