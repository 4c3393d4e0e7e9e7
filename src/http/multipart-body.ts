import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';

/**
 * multipart/form-data bodies (PHP panels that hand curl an array send them). Parsed here as a
 * content-type parser, so it costs nothing on the other requests: the fields become a plain
 * object like a form's, a repeated name becomes an array, and a file part is refused.
 */
export function parseMultipartBody(
  request: FastifyRequest,
  payload: IncomingMessage,
  limits: { bodyBytes: number },
  errors: { tooLarge: () => Error; incorrect: () => Error },
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let busboy: BusboyInstance;
    try {
      // Throws on a multipart type without its boundary.
      busboy = new Busboy({
        headers: request.headers as BusboyHeaders,
        limits: { fieldSize: limits.bodyBytes, fields: 100, files: 0, parts: 101 },
      });
    } catch {
      reject(errors.incorrect());
      return;
    }
    const fields: Record<string, unknown> = {};
    let receivedBytes = 0;
    let failure: Error | undefined;
    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      payload.unpipe(busboy);
      payload.resume(); // drain the rest so the connection can answer
      reject(error);
    };
    payload.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes > limits.bodyBytes) fail(errors.tooLarge());
    });
    busboy.on(
      'field',
      (
        name: string,
        text: string,
        _nameTruncated: boolean,
        isValueTruncated: boolean,
        _encoding: string,
        type: string,
      ) => {
        if (isValueTruncated) return fail(errors.tooLarge());
        let value: unknown = text;
        // A part sent as JSON is read as JSON, and a broken one is an incorrect request.
        if (type === 'application/json') {
          try {
            value = JSON.parse(text);
          } catch {
            return fail(errors.incorrect());
          }
        }
        const previous = fields[name];
        fields[name] =
          previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
      },
    );
    busboy.on('file', (_name: string, file: NodeJS.ReadableStream) => {
      file.resume();
      fail(errors.tooLarge());
    });
    for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const) {
      busboy.on(limit, () => fail(errors.tooLarge()));
    }
    busboy.on('error', () => fail(errors.incorrect()));
    busboy.on('finish', () => {
      if (!failure) resolve(fields);
    });
    payload.pipe(busboy);
  });
}
