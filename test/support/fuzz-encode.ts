import type { Params, Value } from './fuzz-params.js';
import type { Random } from './fuzz-values.js';

/** Writing parameters on the wire, each transport its own way (contract §1). */

function jsonValue(value: Value): Buffer {
  switch (value.kind) {
    case 'text':
      // JSON.stringify writes a lone surrogate as its \uXXXX escape, so it arrives as sent.
      return Buffer.from(JSON.stringify(value.text));
    case 'bytes':
      return Buffer.concat([Buffer.from('"'), value.bytes, Buffer.from('"')]);
    case 'number':
    case 'literal':
      return Buffer.from(value.token);
    case 'list':
      return Buffer.concat([Buffer.from('['), joined(value.items.map(jsonValue), ','), Buffer.from(']')]);
    case 'object':
      return jsonObject(value.entries);
    case 'deep':
      return Buffer.from(`${'['.repeat(value.depth)}1${']'.repeat(value.depth)}`);
  }
}

function joined(parts: Buffer[], separator: string): Buffer {
  const pieces: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) pieces.push(Buffer.from(separator));
    pieces.push(part);
  });
  return Buffer.concat(pieces);
}

/** Duplicate names stay duplicated in the text: JSON.parse keeps the last. */
export function jsonObject(params: Params): Buffer {
  const fields = params.map(([name, value]) =>
    Buffer.concat([Buffer.from(`${JSON.stringify(name)}:`), jsonValue(value)]),
  );
  return Buffer.concat([Buffer.from('{'), joined(fields, ','), Buffer.from('}')]);
}

/** The value's bytes as a form or multipart field carries them. */
function fieldBytes(value: Value): Buffer {
  switch (value.kind) {
    case 'text':
      return Buffer.from(value.text, 'utf8');
    case 'bytes':
      return value.bytes;
    case 'deep':
    case 'list':
    case 'object':
      return jsonValue(value);
    default:
      return Buffer.from(value.token);
  }
}

const UNRESERVED = new Uint8Array(256);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~')
  UNRESERVED[char.charCodeAt(0)] = 1;
const HEX = Buffer.from('0123456789ABCDEF');

/**
 * Percent-encodes bytes, or (sometimes) leaves bytes above 0x7F raw, as sloppy clients do.
 * A byte table, not a regex per byte: values near 1 MiB are encoded thousands of times a run.
 */
function formEscape(bytes: Buffer, keepRaw: boolean): Buffer {
  const out = Buffer.allocUnsafe(bytes.length * 3);
  let length = 0;
  for (const byte of bytes) {
    if (UNRESERVED[byte] === 1 || (keepRaw && byte >= 0x80)) out[length++] = byte;
    else if (keepRaw && byte === 0x20) out[length++] = 0x2b;
    else {
      out[length++] = 0x25;
      out[length++] = HEX[byte >> 4] as number;
      out[length++] = HEX[byte & 15] as number;
    }
  }
  return out.subarray(0, length);
}

/** Flattens lists and objects into bracketed names, the way PHP clients write them. */
function formPairs(random: Random, params: Params): [string, Buffer][] {
  const pairs: [string, Buffer][] = [];
  for (const [name, value] of params) {
    if (value.kind === 'list' && random.chance(0.8)) {
      const itemName = random.pick([`${name}[]`, name]);
      value.items.forEach((item, i) => {
        pairs.push([itemName === name && random.chance(0.3) ? `${name}[${i}]` : itemName, fieldBytes(item)]);
      });
    } else if (value.kind === 'object' && random.chance(0.8)) {
      for (const [inner, item] of value.entries) pairs.push([`${name}[${inner}]`, fieldBytes(item)]);
    } else {
      pairs.push([name, fieldBytes(value)]);
    }
  }
  return pairs;
}

export function formBody(random: Random, params: Params): Buffer {
  const keepRaw = random.chance(0.1);
  const pairs = formPairs(random, params).map(([name, bytes]) =>
    Buffer.concat([formEscape(Buffer.from(name), keepRaw), Buffer.from('='), formEscape(bytes, keepRaw)]),
  );
  const body = joined(pairs, '&');
  // Malformed escapes and empty pairs are what hand-written query strings contain.
  return random.chance(0.05)
    ? Buffer.concat([body, Buffer.from(random.pick(['&&', '&=', '%', '%G0', '&a']))])
    : body;
}

export function multipartBody(random: Random, params: Params, boundary: string): Buffer {
  const newline = random.chance(0.05) ? '\n' : '\r\n';
  const parts: Buffer[] = [];
  for (const [name, bytes] of formPairs(random, params)) {
    const isJsonPart = random.chance(0.05);
    const isFile = random.chance(0.01);
    const disposition = `form-data; name="${name.replace(/"/g, '%22')}"${isFile ? '; filename="a.txt"' : ''}`;
    const headers = `Content-Disposition: ${disposition}${isJsonPart ? `${newline}Content-Type: application/json` : ''}`;
    parts.push(
      Buffer.from(`--${boundary}${newline}${headers}${newline}${newline}`),
      bytes,
      Buffer.from(newline),
    );
  }
  // A missing closing boundary is a truncated upload.
  if (!random.chance(0.05)) parts.push(Buffer.from(`--${boundary}--${newline}`));
  return Buffer.concat(parts);
}
