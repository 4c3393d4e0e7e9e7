import type { FuzzAnswer } from './fuzz-client.js';
import type { FuzzRequest } from './fuzz-requests.js';

/**
 * Is an answer one the contract documents? `{"error": string}` with the status its text goes
 * with, or one of the actions' success shapes (contract §1, §2, §4, §6, §7, §8, §12).
 */
export type Verdict =
  | { kind: 'documented' }
  | { kind: 'server-error' }
  | { kind: 'no-answer'; reason: string }
  /** Reported as seen, not judged: nothing is left here since contract §13 settled GET and HEAD. */
  | { kind: 'later'; reason: string }
  | { kind: 'undocumented'; reason: string };

const MONEY = /^\d+\.\d{4}$/;
const DIGITS = /^\d+$/;
const STATUS_WORDS = ['Pending', 'In progress', 'Completed', 'Partial', 'Canceled', 'Error'];
/** contract §4's fields of a service, in order, then §13's additions. */
export const SERVICE_FIELDS = [
  'service',
  'name',
  'type',
  'category',
  'rate',
  'min',
  'max',
  'dripfeed',
  'refill',
  'cancel',
  'description',
  // contract §13
  'currency',
  'desc',
];

/** Each contract error text, and the HTTP status it is sent with. */
const ERROR_TEXTS: [RegExp, number][] = [
  [/^Incorrect request$/, 400],
  [/^Unauthorized$/, 401],
  [/^Account suspended$/, 403],
  [/^Method not allowed$/, 405],
  [/^Request body too large$/, 413],
  [/^Request header fields too large$/, 431],
  [/^Request timeout$/, 408],
  [/^Too many requests$/, 429],
  [/^Invalid action$/, 200],
  [/^Refill is not supported$/, 200],
  [/^Invalid service$/, 200],
  [/^This service requires a post URL \(e\.g\. instagram\.com\/p\/\.\.\.\)$/, 200],
  [/^This service requires a reel URL \(e\.g\. instagram\.com\/reel\/\.\.\.\)$/, 200],
  [/^This service requires an Instagram username \(e\.g\. myusername\)$/, 200],
  [/^Quantity out of range \(min \d+, max \d+\)$/, 200],
  [/^Quantity must equal the number of comments \(\d+\)$/, 200],
  [/^Insufficient balance\. Required: €\d+\.\d{4}, Available: €\d+\.\d{4}$/, 200],
  [/^Incorrect order ID$/, 200],
  [/^Too many orders \(maximum 100\)$/, 200],
  [/^Idempotency key reused with different parameters$/, 200],
  [/^Drip-feed is not supported for this service$/, 200],
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hasExactly = (value: Record<string, unknown>, keys: string[]) =>
  Object.keys(value).length === keys.length && Object.keys(value).every((key, i) => key === keys[i]);

function isService(value: unknown): boolean {
  if (!isObject(value) || !hasExactly(value, SERVICE_FIELDS)) return false;
  const { service, rate, min, max, type } = value;
  return (
    Number.isSafeInteger(service) &&
    typeof rate === 'string' &&
    MONEY.test(rate) &&
    typeof min === 'string' &&
    DIGITS.test(min) &&
    typeof max === 'string' &&
    DIGITS.test(max) &&
    (type === 'Default' || type === 'Custom Comments') &&
    ['dripfeed', 'refill', 'cancel'].every((field) => typeof value[field] === 'boolean') &&
    ['name', 'category', 'description'].every((field) => typeof value[field] === 'string') &&
    value.currency === 'EUR' &&
    value.desc === value.description
  );
}

function isOrderStatus(value: unknown): boolean {
  if (!isObject(value) || !hasExactly(value, ['charge', 'start_count', 'status', 'remains', 'currency']))
    return false;
  return (
    MONEY.test(String(value.charge)) &&
    typeof value.start_count === 'string' &&
    DIGITS.test(value.start_count) &&
    STATUS_WORDS.includes(String(value.status)) &&
    typeof value.remains === 'string' &&
    DIGITS.test(value.remains) &&
    value.currency === 'EUR'
  );
}

const isCancelOutcome = (value: unknown) =>
  value === 1 || (typeof value === 'string' && /^(Cannot cancel: .+|Incorrect order ID)$/.test(value));

/** The name of the success shape `body` has, if any. */
export function successShape(body: unknown): string | undefined {
  if (Array.isArray(body)) return body.every(isService) ? 'services' : undefined;
  if (!isObject(body)) return undefined;
  if (
    hasExactly(body, ['balance', 'currency']) &&
    MONEY.test(String(body.balance)) &&
    body.currency === 'EUR'
  )
    return 'balance';
  if (hasExactly(body, ['order']) && Number.isSafeInteger(body.order) && (body.order as number) > 0)
    return 'add';
  if (isOrderStatus(body)) return 'status';
  const values = Object.values(body);
  if (values.length === 0) return 'empty batch';
  const isBatchError = (value: unknown) =>
    isObject(value) && hasExactly(value, ['error']) && value.error === 'Order not found';
  if (values.every((value) => isOrderStatus(value) || isBatchError(value))) return 'status batch';
  if (values.every(isCancelOutcome)) return 'cancel';
  return undefined;
}

function errorVerdict(status: number, text: string): Verdict {
  const known = ERROR_TEXTS.find(([pattern]) => pattern.test(text));
  if (!known)
    return { kind: 'undocumented', reason: `HTTP ${status} error text ${JSON.stringify(text.slice(0, 80))}` };
  if (known[1] !== status)
    return { kind: 'undocumented', reason: `HTTP ${status} with ${JSON.stringify(text)}` };
  return { kind: 'documented' };
}

/** contract §13: `/api/v2/` is the same endpoint as `/api/v2`. */
const isEndpoint = (path: string) => ['/api/v2', '/api/v2/'].includes(path.split('?', 1)[0] ?? '');

/** A path that is not the endpoint may be not found. */
function notFoundVerdict(method: string, path: string): Verdict {
  return isEndpoint(path)
    ? { kind: 'undocumented', reason: `404 on ${path.split('?', 1)[0]} (${method})` }
    : { kind: 'documented' };
}

/** contract §13: HEAD on the endpoint is 200 with no body, whatever it carries. */
function headVerdict(request: FuzzRequest, answer: FuzzAnswer): Verdict {
  if (!isEndpoint(request.path)) return { kind: 'documented' };
  return answer.status === 200 && answer.body.length === 0
    ? { kind: 'documented' }
    : { kind: 'undocumented', reason: `HEAD → ${answer.status}` };
}

export function judgeAnswer(request: FuzzRequest, answer: FuzzAnswer): Verdict {
  if (answer.status === undefined) return { kind: 'no-answer', reason: answer.failure ?? 'none' };
  if (answer.status >= 500) return { kind: 'server-error' };
  if (request.method === 'HEAD') return headVerdict(request, answer);
  if (!/^application\/json; charset=utf-8$/i.test(answer.contentType ?? '')) {
    return {
      kind: 'undocumented',
      reason: `HTTP ${answer.status} content-type ${answer.contentType ?? 'none'}`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return { kind: 'undocumented', reason: `HTTP ${answer.status} body is not JSON` };
  }
  if (isObject(body) && hasExactly(body, ['error']) && typeof body.error === 'string') {
    if (answer.status === 404 && body.error === 'Not found')
      return notFoundVerdict(request.method, request.path);
    return errorVerdict(answer.status, body.error);
  }
  const shape = successShape(body);
  if (shape === undefined)
    return {
      kind: 'undocumented',
      reason: `HTTP ${answer.status} shape ${JSON.stringify(body).slice(0, 80)}`,
    };
  return answer.status === 200
    ? { kind: 'documented' }
    : { kind: 'undocumented', reason: `HTTP ${answer.status} with a ${shape} body` };
}
