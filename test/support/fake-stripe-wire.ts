import { createHmac, randomBytes } from 'node:crypto';

/** The `error` member of a Stripe error reply, as the SDK reads it. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'api_error' | 'idempotency_error';
  message: string;
  code?: string;
  param?: string;
}

/** Thrown by the fake's handlers; the server turns it into the HTTP status and `{ error }` body. */
export class StripeRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeErrorBody,
  ) {
    super(error.message);
  }
}

export function invalidRequest(message: string, details: { code?: string; param?: string } = {}) {
  return new StripeRequestError(400, { type: 'invalid_request_error', message, ...details });
}

export function unrecognized(method: string, path: string): StripeRequestError {
  return new StripeRequestError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

/** Stripe shows a wrong key masked to its last four characters. */
function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(key.length - prefix.length - 4, 0))}${key.slice(-4)}`;
}

/** Stripe answers a missing or wrong key with 401 and type invalid_request_error. */
export function authenticate(authorization: string | undefined, secretKey: string): void {
  const key = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (key === secretKey) return;
  const message = key
    ? `Invalid API Key provided: ${maskKey(key)}`
    : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
  throw new StripeRequestError(401, { type: 'invalid_request_error', message });
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An id shaped like Stripe's: a type prefix and random base62 characters. */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

/** Stripe's webhook signature scheme v1: HMAC-SHA256 of `${timestamp}.${payload}` keyed by the secret. */
export function signStripePayload(payload: string, secret: string, timestampSeconds: number): string {
  const hex = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${hex}`;
}

type Container = Record<string, unknown> | unknown[];

// A key such as `__proto__` in a form body must not reach an object's prototype.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** `line_items[0][price_data][currency]` -> ['line_items', '0', 'price_data', 'currency']; `expand[]` ends in ''. */
function keySegments(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match?.[1]) return [key];
  const brackets = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((found) => found[1] ?? '');
  return [match[1], ...brackets];
}

function childOf(container: Container, segment: string): unknown {
  if (Array.isArray(container)) return segment === '' ? undefined : container[Number(segment)];
  return container[segment];
}

function put(container: Container, segment: string, value: unknown): void {
  if (!Array.isArray(container)) container[segment] = value;
  else if (segment === '') container.push(value);
  else container[Number(segment)] = value;
}

/**
 * Expands the bracket notation the SDK encodes nested params with: numeric and empty
 * segments make arrays, others objects. Every leaf stays a string, as Stripe receives it.
 */
export function expandBracketNotation(pairs: Iterable<[string, string]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of pairs) {
    const segments = keySegments(key);
    if (segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) continue;
    let node: Container = root;
    for (const [index, segment] of segments.entries()) {
      const next = segments[index + 1];
      if (next === undefined) {
        put(node, segment, value);
        break;
      }
      let child = childOf(node, segment);
      if (typeof child !== 'object' || child === null) {
        child = next === '' || /^\d+$/.test(next) ? [] : {};
        put(node, segment, child);
      }
      node = child as Container;
    }
  }
  return root;
}

export function parseForm(text: string): Record<string, unknown> {
  return expandBracketNotation(new URLSearchParams(text));
}
