import {
  fuzzText,
  invalidUtf8,
  longText,
  numberText,
  numberToken,
  POST_LINKS,
  type Random,
  randomUnicode,
  USERNAME_LINKS,
} from './fuzz-values.js';

/** What the seeded panel holds, so a share of the requests are ones it would accept. */
export interface FuzzWorld {
  keys: { rich: string; poor: string; suspended: string };
  services: { likes: number; comments: number; followers: number; inactive: number };
  /** Order ids 1..orderIdMax mostly exist (some the customer's, some a stranger's). */
  orderIdMax: number;
}

/** A parameter value as meant, before a transport writes it (JSON, form, multipart, query). */
export type Value =
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'number'; token: string }
  | { kind: 'literal'; token: 'null' | 'true' | 'false' }
  | { kind: 'list'; items: Value[] }
  | { kind: 'object'; entries: [string, Value][] }
  | { kind: 'deep'; depth: number };

export type Params = [string, Value][];

export const text = (value: string): Value => ({ kind: 'text', text: value });

const ACTIONS = ['services', 'balance', 'add', 'status', 'orders', 'cancel', 'cancels', 'refill', 'odd'];

/** Anything in place of a well-formed value: the heart of the fuzzing. */
export function oddValue(random: Random, plain: number): Value {
  return random.weighted<() => Value>([
    [4, () => text(fuzzText(random))],
    [2, () => ({ kind: 'number', token: numberToken(random, plain) })],
    [2, () => text(numberText(random, plain))],
    [1, () => ({ kind: 'bytes', bytes: Buffer.concat([Buffer.from('a'), invalidUtf8(random)]) })],
    [1, () => ({ kind: 'literal', token: random.pick(['null', 'true', 'false'] as const) })],
    [1, () => ({ kind: 'list', items: [text(String(plain)), text(numberText(random, plain))] })],
    [1, () => ({ kind: 'list', items: [] })],
    [
      1,
      () => ({ kind: 'object', entries: [[random.pick(['value', '__proto__', '0']), text(String(plain))]] }),
    ],
    [0.3, () => ({ kind: 'deep', depth: random.pick([10, 1000, 100_000]) })],
  ])();
}

/** A value that is usually right, sometimes odd. */
function maybeOdd(random: Random, right: Value, plain: number, oddness: number): Value {
  return random.chance(oddness) ? oddValue(random, plain) : right;
}

function orderId(random: Random, world: FuzzWorld): string {
  return random.chance(0.85)
    ? String(random.int(1, world.orderIdMax + 5))
    : numberText(random, random.int(0, world.orderIdMax));
}

function orderBatch(random: Random, world: FuzzWorld): Value {
  const count = random.weighted<number>([
    [6, random.int(1, 10)],
    [2, random.int(90, 101)],
    [1, random.int(102, 300)],
    [1, 0],
  ]);
  const ids = Array.from({ length: count }, () =>
    random.chance(0.9) ? orderId(random, world) : fuzzText(random),
  );
  const separator = random.pick([',', ', ', ' , ', ',,', ';']);
  return random.chance(0.15) ? { kind: 'list', items: ids.map(text) } : text(ids.join(separator));
}

function addParams(random: Random, world: FuzzWorld, oddness: number): Params {
  const isComments = random.chance(0.3);
  const service = isComments
    ? world.services.comments
    : random.weighted([
        [6, world.services.likes],
        [2, world.services.followers],
        [1, world.services.inactive],
        [1, random.int(0, 99_999)],
      ]);
  const link = service === world.services.followers ? random.pick(USERNAME_LINKS) : random.pick(POST_LINKS);
  const quantity = random.weighted([
    [6, random.int(25, 200)],
    [1, random.int(0, 30)],
    [1, random.int(4000, 6000)],
  ]);
  const params: Params = [
    [
      'service',
      maybeOdd(random, random.chance(0.5) ? text(String(service)) : numberOf(service), service, oddness),
    ],
    ['link', maybeOdd(random, text(link), 1, oddness)],
  ];
  if (isComments) {
    const lines = Array.from({ length: random.int(0, 40) }, () =>
      random.chance(0.8) ? `nice ${random.int(1, 1e6)}` : randomUnicode(random, random.int(0, 12)),
    );
    params.push([
      'comments',
      maybeOdd(random, text(lines.join(random.pick(['\n', '\r\n', '\n\n']))), 3, oddness),
    ]);
    if (random.chance(0.5))
      params.push(['quantity', maybeOdd(random, numberOf(lines.length), lines.length, oddness)]);
  } else if (random.chance(0.95)) {
    params.push(['quantity', maybeOdd(random, numberOf(quantity), quantity, oddness)]);
  }
  // contract §13 drip-feed: not offered here, but panels send the fields anyway.
  if (random.chance(0.03)) params.push(['runs', numberOf(random.int(0, 200))], ['interval', numberOf(5)]);
  return params;
}

const numberOf = (plain: number): Value => ({ kind: 'number', token: String(plain) });

/** The action's own parameters, most of them well-formed, some not. */
export function actionParams(random: Random, world: FuzzWorld, oddness: number): Params {
  const action = random.weighted(ACTIONS.map((name) => [name === 'add' ? 4 : 1.2, name] as const));
  const id = orderId(random, world);
  switch (action) {
    case 'add':
      return [['action', text('add')], ...addParams(random, world, oddness)];
    case 'status':
    case 'cancel':
      return [
        ['action', text(action)],
        ['order', maybeOdd(random, text(id), Number(id) || 1, oddness)],
      ];
    case 'orders':
    case 'cancels': {
      const params: Params = [['action', text(action === 'orders' ? 'status' : 'cancel')]];
      if (random.chance(0.2)) params.push(['order', text(id)]);
      params.push([
        random.chance(0.2) ? 'orders[]' : 'orders',
        maybeOdd(random, orderBatch(random, world), 1, oddness / 2),
      ]);
      return params;
    }
    case 'odd':
      return [['action', oddAction(random)]];
    default:
      return [['action', text(action === 'refill' ? random.pick(['refill', 'refill_status']) : action)]];
  }
}

function oddAction(random: Random): Value {
  return random.weighted<() => Value>([
    [
      3,
      () => text(random.pick(['', 'ADD', ' add', 'add ', 'Balance', 'services\u0000', 'delete', 'status\n'])),
    ],
    [2, () => text(random.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']))],
    [2, () => oddValue(random, 1)],
    [1, () => ({ kind: 'list', items: [text('balance'), text('add')] })],
    [0.2, () => text(longText(random))],
  ])();
}

/** Who the request claims to be: the key (or none), and where it travels. */
export function keyValue(random: Random, world: FuzzWorld): Value | undefined {
  return random.weighted<() => Value | undefined>([
    [14, () => text(world.keys.rich)],
    [2, () => text(world.keys.poor)],
    [1, () => text(world.keys.suspended)],
    [1, () => undefined],
    [1, () => text(random.pick(['', 'wrong', `${world.keys.rich}x`, world.keys.rich.toUpperCase()]))],
    [1, () => text(`${world.keys.rich}\u0000`)],
    [1, () => oddValue(random, 1)],
  ])();
}

/** Extra parameters no action reads: prototype names, duplicates, junk. */
export function junkParams(random: Random): Params {
  const names = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'x', '', '[]', 'a[b]', 'key[]'];
  return Array.from({ length: random.int(1, 3) }, (): [string, Value] => [
    random.chance(0.7) ? random.pick(names) : fuzzText(random).slice(0, 50),
    random.chance(0.5) ? { kind: 'object', entries: [['polluted', text('yes')]] } : oddValue(random, 1),
  ]);
}
