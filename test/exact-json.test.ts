import { describe, expect, it } from 'vitest';
import { parseJsonExactly } from '../src/http/exact-json.js';

describe('parseJsonExactly', () => {
  it('keeps plain digits as numbers and every other number as its text', () => {
    expect(parseJsonExactly('{"a":1017,"b":1e3,"c":1.5,"d":-1,"e":100.0,"f":-0,"g":0,"h":2E+2}')).toEqual({
      a: 1017,
      b: '1e3',
      c: '1.5',
      d: '-1',
      e: '100.0',
      f: '-0',
      g: 0,
      h: '2E+2',
    });
    expect(parseJsonExactly('[1, -2.5e-3, [3.25], {"x": [4, 5.0]}]')).toEqual([
      1,
      '-2.5e-3',
      ['3.25'],
      { x: [4, '5.0'] },
    ]);
    expect(parseJsonExactly('99999999999999999999')).toBe(1e20);
  });

  it('leaves strings alone, escapes included', () => {
    const text = '{"link":"https://x/p/1.5e3/","q":"say \\"1.5\\" -1","k\\\\":2.5,"esc":"\\\\","n":1}';
    expect(parseJsonExactly(text)).toEqual({
      link: 'https://x/p/1.5e3/',
      q: 'say "1.5" -1',
      'k\\': '2.5',
      esc: '\\',
      n: 1,
    });
  });

  it('ends a string at the first quote no backslash escapes, however many backslashes run before it', () => {
    const text = '{"a":"x\\\\","b":1.5,"c":"\\\\\\"-1\\\\","d":-2}';
    expect(parseJsonExactly(text)).toEqual({ a: 'x\\', b: '1.5', c: '\\"-1\\', d: '-2' });
  });

  it('still refuses what is not JSON', () => {
    for (const text of ['{"a":01}', '{"a":1.}', '{"a":-}', '{"a":.5}', '{"a":1e}', '{"a":"x}', '{a:1}']) {
      expect(() => parseJsonExactly(text), text).toThrow(SyntaxError);
    }
  });
});
