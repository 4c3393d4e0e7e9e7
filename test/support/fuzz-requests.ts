import { formBody, jsonObject, multipartBody } from './fuzz-encode.js';
import { actionParams, type FuzzWorld, junkParams, keyValue, type Params, text } from './fuzz-params.js';
import { type Random, randomFor } from './fuzz-values.js';

export type { FuzzWorld } from './fuzz-params.js';

/**
 * The /api/v2 fuzz battery's requests (`npm run fuzz`, test/api-fuzz.test.ts): request `index`
 * of run `seed` is always the same bytes, so any finding is reproduced from those two numbers.
 */
export interface FuzzRequest {
  index: number;
  /** transport and action, for the report: `json add`, `raw lying-length`, ... */
  label: string;
  method: string;
  path: string;
  headers: [string, string][];
  body: Buffer;
  /** Malformed HTTP that no client library writes: these exact bytes on a fresh connection. */
  rawBytes?: Buffer;
  /**
   * Half-close after writing: how a body shorter than its Content-Length ends. Only then, since
   * Node drops a request still in flight when the client half-closes (httpAllowHalfOpen false).
   */
  halfClose?: boolean;
}

export type Transport = 'json' | 'form' | 'multipart' | 'query';

const ODD_METHODS = [
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'SEARCH',
  'LOCK',
];
const ODD_PATHS = ['/api/v2/', '/api/v2?', '/api/v2//', '/API/V2', '/api/v2;x', '/api/v2?%zz', '/api/v2/..'];
const ODD_CONTENT_TYPES = [
  undefined,
  'text/plain',
  'application/xml',
  'application/JSON',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded; charset=utf-16',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/octet-stream',
  ';;;',
  'application/json, text/plain',
];

function paramsFor(random: Random, world: FuzzWorld): Params {
  // A third of the requests are all odd values; the rest mostly well-formed, to go deep.
  const oddness = random.chance(0.3) ? 0.5 : 0.05;
  const params = actionParams(random, world, oddness);
  const key = keyValue(random, world);
  if (key) params.splice(random.int(0, params.length), 0, ['key', key]);
  if (random.chance(0.1)) params.push(...junkParams(random));
  if (random.chance(0.05) && params.length > 0) {
    // A duplicated parameter: JSON keeps the last, forms make an array of both.
    const [name] = random.pick(params);
    params.push([name, random.chance(0.5) ? text('balance') : text('1')]);
  }
  return params;
}

/** Moves the key to the header, or some parameters to the query string (body wins, contract §1). */
function splitParams(
  random: Random,
  params: Params,
  headers: [string, string][],
): { body: Params; query: Params } {
  const keyIndex = params.findIndex(([name]) => name === 'key');
  const keyEntry = params[keyIndex];
  if (
    keyEntry &&
    keyEntry[1].kind === 'text' &&
    random.chance(0.15) &&
    /^[\x20-\x7e]*$/.test(keyEntry[1].text)
  ) {
    headers.push(['x-api-key', keyEntry[1].text]);
    params.splice(keyIndex, 1);
  }
  const query: Params = [];
  const body: Params = [];
  for (const entry of params) (random.chance(0.15) ? query : body).push(entry);
  return { body, query };
}

function encodeBody(
  random: Random,
  transport: Transport,
  params: Params,
  headers: [string, string][],
): Buffer {
  if (transport === 'json') {
    headers.push(['content-type', 'application/json']);
    const body = jsonObject(params);
    return random.chance(0.03)
      ? Buffer.from(random.pick(['[1]', '"text"', '12', 'null', '[', '{"a":']))
      : body;
  }
  if (transport === 'form') {
    headers.push(['content-type', 'application/x-www-form-urlencoded']);
    return formBody(random, params);
  }
  const boundary = `----fuzz${random.int(0, 1e9)}`;
  headers.push(['content-type', `multipart/form-data; boundary=${boundary}`]);
  return multipartBody(random, params, boundary);
}

/** Damage done after encoding: cut, padded past the limit, or sent under another type. */
function damage(random: Random, body: Buffer, headers: [string, string][]): Buffer {
  let damaged = body;
  if (random.chance(0.03)) damaged = damaged.subarray(0, random.int(0, damaged.length));
  if (random.chance(0.003))
    damaged = Buffer.concat([damaged, Buffer.alloc(1024 * 1024 + random.int(-50, 50), 0x20)]);
  if (random.chance(0.08)) {
    const index = headers.findIndex(([name]) => name === 'content-type');
    if (index >= 0) headers.splice(index, 1);
    const type = random.pick(ODD_CONTENT_TYPES);
    if (type !== undefined) headers.push(['content-type', type]);
  }
  return damaged;
}

function oddHeaders(random: Random, headers: [string, string][]): void {
  if (random.chance(0.15)) {
    const idempotencyKey = random.pick([
      '',
      'k',
      `k-${random.int(0, 50)}`,
      'é'.repeat(3),
      'x'.repeat(random.int(100, 9000)),
    ]);
    headers.push(['idempotency-key', idempotencyKey]);
    if (random.chance(0.1)) headers.push(['idempotency-key', 'second']);
  }
  if (random.chance(0.02)) headers.push(['x-api-key', random.pick(['', 'wrong', 'a'.repeat(5000)])]);
  if (random.chance(0.01)) headers.push(['expect', '100-continue']);
  if (random.chance(0.01)) headers.push(['content-encoding', random.pick(['gzip', 'br', 'identity'])]);
}

export function fuzzRequest(seed: number, index: number, seededWorld: FuzzWorld): FuzzRequest {
  const random = randomFor(seed, index);
  // About one request in twenty places an order: asking about ids up to there reaches the
  // orders the battery itself placed (cancels that refund, not only the seeded few), while
  // request `index` still depends on nothing but its own number.
  const world = { ...seededWorld, orderIdMax: seededWorld.orderIdMax + Math.floor(index / 20) };
  if (random.chance(0.03)) return rawRequest(random, index, world);
  const transport = random.weighted<Transport>([
    [4, 'json'],
    [3, 'form'],
    [2, 'multipart'],
    [2, 'query'],
  ]);
  const headers: [string, string][] = [];
  const { body: bodyParams, query } =
    transport === 'query'
      ? { body: [], query: paramsFor(random, world) }
      : splitParams(random, paramsFor(random, world), headers);
  const body =
    transport === 'query'
      ? queryOnlyBody(random, headers)
      : encodeBody(random, transport, bodyParams, headers);
  oddHeaders(random, headers);
  const method = random.chance(0.04) ? random.pick(ODD_METHODS) : 'POST';
  const basePath = random.chance(0.03) ? random.pick(ODD_PATHS) : '/api/v2';
  const queryText = query.length > 0 ? formBody(random, query).toString('latin1') : '';
  const path = queryText === '' ? basePath : `${basePath}${basePath.includes('?') ? '&' : '?'}${queryText}`;
  const label = `${method === 'POST' ? '' : `${method} `}${transport} ${actionLabel(bodyParams, query)}`;
  return { index, label, method, path, headers, body: damage(random, body, headers) };
}

/** A POST with everything in the query string: no body, or an empty one under some type. */
function queryOnlyBody(random: Random, headers: [string, string][]): Buffer {
  const type = random.pick([
    undefined,
    'application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ]);
  if (type) headers.push(['content-type', type]);
  return Buffer.from(random.pick(['', '', ' ', '{}']));
}

function actionLabel(...sources: Params[]): string {
  const action = sources.flat().find(([name]) => name === 'action')?.[1];
  if (action?.kind !== 'text') return 'odd-action';
  return /^[a-z_]{1,16}$/.test(action.text) ? action.text : 'odd-action';
}

/** HTTP that breaks the framing or the grammar, written byte by byte on its own connection. */
function rawRequest(random: Random, index: number, world: FuzzWorld): FuzzRequest {
  const json = Buffer.from(JSON.stringify({ key: world.keys.rich, action: 'balance' }));
  const method = random.pick(['FOO', 'post', 'P0ST', 'CONNECT', 'PRI']);
  const [label, bytes] = random.pick<[string, () => Buffer]>([
    [
      'lying-length',
      () =>
        Buffer.concat([
          head('POST /api/v2', [`Content-Length: ${json.length + 10}`, 'Content-Type: application/json']),
          json,
        ]),
    ],
    [
      'chunked',
      () =>
        Buffer.concat([
          head('POST /api/v2', ['Transfer-Encoding: chunked', 'Content-Type: application/json']),
          Buffer.from(`${json.length.toString(16)}\r\n`),
          json,
          Buffer.from('\r\n0\r\n\r\n'),
        ]),
    ],
    [
      'bad-chunk',
      () =>
        Buffer.concat([head('POST /api/v2', ['Transfer-Encoding: chunked']), Buffer.from('zz\r\nabc\r\n')]),
    ],
    [
      'length-and-chunked',
      () =>
        Buffer.concat([
          head('POST /api/v2', ['Transfer-Encoding: chunked', 'Content-Length: 3']),
          Buffer.from('0\r\n\r\n'),
        ]),
    ],
    ['nul-header', () => head('POST /api/v2', [`X-Api-Key: ${world.keys.rich}\u0000`])],
    [
      'control-header',
      () => head('POST /api/v2', ['Idempotency-Key: a\u0001b', `X-Api-Key: ${world.keys.rich}`]),
    ],
    [
      'utf8-header',
      () =>
        Buffer.concat([
          head('POST /api/v2?action=balance', [`X-Api-Key: ${world.keys.rich}`], false),
          Buffer.from('Idempotency-Key: ключ😀\r\n\r\n'),
        ]),
    ],
    [`bad-method ${method}`, () => head(`${method} /api/v2`, [])],
    [
      'bad-target',
      () =>
        head(
          random.pick([
            'POST /api/v2 x',
            'POST api/v2',
            'POST /api/\u00ff',
            'POST /api/v2?a=%00&action=balance',
            'POST http://x/api/v2',
          ]),
          [],
        ),
    ],
    [
      'bad-version',
      () =>
        Buffer.from(
          `POST /api/v2 ${random.pick(['HTTP/2.0', 'HTTP/1.0', 'HTTP/9', 'FTP/1.1'])}\r\nContent-Length: 0\r\n\r\n`,
        ),
    ],
    ['huge-header', () => head('POST /api/v2', [`X-Pad: ${'a'.repeat(random.int(16_000, 70_000))}`])],
    ['obs-fold', () => head('POST /api/v2', ['X-Api-Key: abc', ' continued'])],
    ['no-colon', () => head('POST /api/v2', ['NoColonHere'])],
    [
      'pipelined',
      () =>
        Buffer.concat([
          head('POST /api/v2?action=balance', [`X-Api-Key: ${world.keys.rich}`, 'Content-Length: 0']),
          Buffer.from('GARBAGE\r\n\r\n'),
        ]),
    ],
  ]);
  return {
    index,
    label: `raw ${label}`,
    method: 'RAW',
    path: '',
    headers: [],
    body: Buffer.alloc(0),
    rawBytes: bytes(),
    halfClose: label === 'lying-length',
  };
}

function head(requestLine: string, headerLines: string[], isComplete = true): Buffer {
  const lines = [`${requestLine} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines];
  return Buffer.from(`${lines.join('\r\n')}\r\n${isComplete ? '\r\n' : ''}`, 'latin1');
}
