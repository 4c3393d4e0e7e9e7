import { isStorableText } from '../domain/storable-text.js';

/**
 * Reading the wire parameters of /api/v2 (contract §1). Parameters come from the query string
 * and the body, the body winning; values may be strings or JSON numbers, and anything else
 * (arrays, objects, booleans, text no database can store) is treated as not given in a usable
 * form, so each field answers its own error: `Invalid service`, the link type's error, ...
 */
export type RawParams = Readonly<Record<string, unknown>>;

export function mergeParams(query: unknown, body: unknown): RawParams {
  const fromQuery = isPlainObject(query) ? query : {};
  const fromBody = isPlainObject(body) ? body : {};
  return { ...fromQuery, ...fromBody };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** A text parameter: a string, or a JSON number written back as text. */
export function textParam(params: RawParams, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return isStorableText(value) ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * contract §1: an integer is plain ASCII decimal digits only. Returns undefined when absent,
 * null when present but not an integer (or too large to be one we could hold exactly).
 */
export function integerParam(params: RawParams, name: string): number | null | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  // Leading zeros are still plain digits (and PHP clients that pad numbers send them):
  // `0000000000000000100` is 100, only the digits after them count towards the length.
  if (typeof value !== 'string' || !/^0*[0-9]{1,16}$/.test(value)) return null;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : null;
}
