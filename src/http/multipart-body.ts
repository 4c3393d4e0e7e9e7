import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';

/**
 * multipart/form-data bodies (PHP panels that hand curl an array send them). Parsed here as a
 * content-type parser, so it costs nothing on the other requests: the fields become a plain
 * object like a form's, a repeated name becomes an array, and a file part is refused unless
 * its name is one of `fileFields` (an admin upload): then its text becomes that field's value.
 */
export function parseMultipartBody(
  request: FastifyRequest,
  payload: IncomingMessage,
  limits: { bodyBytes: number; fileFields?: readonly string[] },
  errors: { tooLarge: () => Error; incorrect: () => Error },
): Promise<Record<string, unknown>> {
  const fileFields = limits.fileFields ?? [];
  return new Promise((resolve, reject) => {
    const busboy = newBusboy(request, limits.bodyBytes, fileFields.length);
    if (!busboy) {
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
    const addField = (name: string, value: unknown) => {
      const previous = fields[name];
      fields[name] =
        previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    };
    readFields(busboy, { addField, fail }, errors);
    // A file's last chunk may be read after busboy's finish: resolve when both are done.
    let openFiles = 0;
    let isFinished = false;
    busboy.on('file', (name: string, file: NodeJS.ReadableStream) => {
      if (!fileFields.includes(name)) {
        file.resume();
        return fail(errors.tooLarge());
      }
      openFiles += 1;
      const chunks: Buffer[] = [];
      file.on('data', (chunk: Buffer) => chunks.push(chunk));
      file.on('limit', () => fail(errors.tooLarge()));
      file.on('end', () => {
        addField(name, Buffer.concat(chunks).toString('utf8'));
        openFiles -= 1;
        if (openFiles === 0 && isFinished && !failure) resolve(fields);
      });
    });
    for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const) {
      busboy.on(limit, () => fail(errors.tooLarge()));
    }
    busboy.on('error', () => fail(errors.incorrect()));
    busboy.on('finish', () => {
      isFinished = true;
      if (!failure && openFiles === 0) resolve(fields);
    });
    payload.pipe(busboy);
  });
}

/** A parser for the request's body, or undefined when its multipart type has no boundary. */
function newBusboy(
  request: FastifyRequest,
  bodyBytes: number,
  fileCount: number,
): BusboyInstance | undefined {
  try {
    // Throws on a multipart type without its boundary.
    return new Busboy({
      headers: request.headers as BusboyHeaders,
      limits: {
        fieldSize: bodyBytes,
        fields: 100,
        files: fileCount,
        fileSize: bodyBytes,
        parts: 101,
      },
    });
  } catch {
    return undefined;
  }
}

/** Adds each field part to the body, or fails on a truncated value or a broken JSON part. */
function readFields(
  busboy: BusboyInstance,
  body: { addField: (name: string, value: unknown) => void; fail: (error: Error) => void },
  errors: { tooLarge: () => Error; incorrect: () => Error },
): void {
  const { addField, fail } = body;
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
      addField(name, value);
    },
  );
}
