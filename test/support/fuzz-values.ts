/**
 * The random values of the /api/v2 fuzz battery (test/support/fuzz-requests.ts). Everything is
 * drawn from one seeded generator per request, so a request is reproduced from (seed, index)
 * alone, whatever the concurrency of the run that found it.
 */

/** A small, fast PRNG (mulberry32): statistical quality is not the point, reproducibility is. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** One of the branches, each with its weight. */
  weighted<T>(branches: readonly (readonly [number, T])[]): T {
    const total = branches.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [weight, value] of branches) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (branches[branches.length - 1] as readonly [number, T])[1];
  }
}

/** The generator of request `index` in run `seed`: independent of every other request. */
export function randomFor(seed: number, index: number): Random {
  return new Random((Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

/** Characters and strings that broke, or could break, a parser, a driver or a database. */
const NASTY_PIECES = [
  '\u0000',
  'a\u0000b',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\udc80',
  '\u202e', // right-to-left override
  '\u200f', // right-to-left mark
  '\u200b',
  '\ufeff',
  '\ufffd',
  '😀',
  '👨‍👩‍👧‍👦',
  'é',
  'ｉｎｓｔａｇｒａｍ',
  '١٢٣',
  '\r\n',
  '\n',
  '\t',
  '%00',
  '%',
  '%zz',
  '&',
  '=',
  '+',
  ';',
  ',',
  '"',
  "'",
  '\\',
  '\\u0000',
  '<script>',
  "' OR 1=1 --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text itself is the point, a template injection probe
  '${x}',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '[object Object]',
];

export const POST_LINKS = [
  'https://www.instagram.com/p/CODE1234/',
  'instagram.com/p/AbC_d-123/',
  'm.instagram.com/reel/ReelCode9/?igsh=x#y',
  'https://instagr.am/p/XXXXX/',
  'http://www.instagram.com/someone/p/Abcde/',
];
export const USERNAME_LINKS = ['myusername', '@my.user_name', 'https://instagram.com/someone/'];

/** A text meant to be read as an integer: plain, padded, signed, exponent, huge, not ASCII. */
export function numberText(random: Random, plain: number): string {
  return random.weighted<() => string>([
    [6, () => String(plain)],
    [1, () => `${'0'.repeat(random.int(1, 20))}${plain}`],
    [1, () => `-${plain}`],
    [1, () => `+${plain}`],
    [1, () => `${plain}e${random.int(0, 400)}`],
    [1, () => `${plain}.${random.pick(['0', '5', '00000001'])}`],
    [1, () => `0x${plain.toString(16)}`],
    [1, () => '9'.repeat(random.int(16, 400))],
    [1, () => String(2 ** 53 + random.int(-2, 2))],
    [1, () => random.pick(['', ' ', 'NaN', 'Infinity', '-0', '1_000', '１０', ` ${plain}`, `${plain} `])],
    [1, () => `${plain}${random.pick(NASTY_PIECES)}`],
  ])();
}

/** A JSON number token, written as the wire would carry it (never quoted). */
export function numberToken(random: Random, plain: number): string {
  return random.weighted<() => string>([
    [6, () => String(plain)],
    [1, () => `-${plain}`],
    [1, () => `${plain}e${random.int(-400, 400)}`],
    [1, () => `${plain}.${random.int(0, 9)}`],
    [1, () => '9'.repeat(random.int(16, 400))],
    [1, () => '-0'],
    [1, () => `${plain}E+2`],
    [1, () => `0.${'0'.repeat(random.int(1, 400))}1`],
  ])();
}

/** Text of every kind: plain, nasty, long, or very long (up to the 1 MiB body limit). */
export function fuzzText(random: Random): string {
  return random.weighted<() => string>([
    [4, () => random.pick(NASTY_PIECES)],
    [3, () => Array.from({ length: random.int(1, 8) }, () => random.pick(NASTY_PIECES)).join('')],
    [3, () => randomUnicode(random, random.int(0, 40))],
    [1, () => ''],
    [1, () => 'x'.repeat(random.int(100, 5000))],
    [1, () => random.pick(POST_LINKS) + random.pick(NASTY_PIECES)],
    [0.05, () => longText(random)],
  ])();
}

/** Near the 1 MiB limit: some just under once encoded, some just over (1, 2 or 4 bytes a character). */
export function longText(random: Random): string {
  const char = random.pick(['a', 'é', '😀']);
  const targetBytes = 1024 * 1024 + random.int(-600, 100);
  return char.repeat(Math.floor(targetBytes / Buffer.byteLength(char)));
}

/** Code points from every plane, surrogates included (lone ones, when drawn alone). */
export function randomUnicode(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) {
    const codeUnit = random.weighted<() => number>([
      [5, () => random.int(0x20, 0x7e)],
      [1, () => random.int(0, 0x1f)],
      [2, () => random.int(0x80, 0xd7ff)],
      [1, () => random.int(0xd800, 0xdfff)],
      [1, () => random.int(0xe000, 0xffff)],
    ])();
    text += random.chance(0.05)
      ? String.fromCodePoint(random.int(0x10000, 0x10ffff))
      : String.fromCharCode(codeUnit);
  }
  return text;
}

/** Bytes that are not UTF-8: stray continuations, overlong forms, encoded surrogates, cut sequences. */
export function invalidUtf8(random: Random): Buffer {
  return Buffer.from(
    random.pick([
      [0xff],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0x80],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x98],
      [0xfe, 0xfe, 0xff, 0xff],
      [0xc3],
    ]),
  );
}
