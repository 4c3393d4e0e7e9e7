import { isUtf8 } from 'node:buffer';
import { parse as parseQueryString } from 'node:querystring';

/** Pairs read from one form body or query string; more is refused by being left out. */
const MAX_FORM_FIELDS = 5_000;

/**
 * Request text as it arrived. Node decodes invalid UTF-8 to U+FFFD, which would turn a byte
 * that is not text into a character nobody sent; instead each such byte becomes a lone
 * surrogate U+DC80..U+DCFF (Python's "surrogateescape", PEP 383), which `isStorableText`
 * refuses with the field's own error, like a NUL.
 */
export function decodeUtf8Strictly(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let start = 0;
  while (start < bytes.length) {
    const length = validSequenceLength(bytes, start);
    if (length === 0) {
      text += String.fromCharCode(0xdc00 + (bytes[start] ?? 0));
      start += 1;
    } else {
      text += bytes.toString('utf8', start, start + length);
      start += length;
    }
  }
  return text;
}

/** The length of the valid UTF-8 sequence starting at `start`, or 0 when the byte starts none. */
function validSequenceLength(bytes: Buffer, start: number): number {
  const lead = bytes[start] ?? 0xff;
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : 0;
  const sequenceLength = length || (lead >= 0xf0 && lead <= 0xf4 ? 4 : 0);
  if (sequenceLength === 0 || start + sequenceLength > bytes.length) return 0;
  // isUtf8 rules out overlong forms, encoded surrogates and bad continuation bytes.
  return isUtf8(bytes.subarray(start, start + sequenceLength)) ? sequenceLength : 0;
}

/**
 * A urlencoded form or query string. Raw bytes above 0x7F are percent-encoded first, so every
 * value goes through the same strict decoding whether the client escaped it or not.
 */
export function parseFormFields(bytes: Buffer): Record<string, unknown> {
  const escaped = bytes
    .toString('latin1')
    .replace(/[\u0080-\u00ff]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const fields = parseQueryString(escaped, '&', '=', {
    decodeURIComponent: (text) => decodeUtf8Strictly(percentDecoded(text)),
    // Node keeps 1,000 pairs and drops the rest silently: the import page may tick up to its
    // 2,000 catalog rows plus their differences. The body limit still bounds the work.
    maxKeys: MAX_FORM_FIELDS,
  });
  return { ...fields };
}

/** The bytes behind a percent-encoded ASCII text ('+' is already a space here). */
function percentDecoded(text: string): Buffer {
  const latin1 = text.replace(/%([0-9a-fA-F]{2})/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return Buffer.from(latin1, 'latin1');
}
