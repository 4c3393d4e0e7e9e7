import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * app.css keeps one rule per selector list in each media context and one @media block per
 * query (issue 9): a rule appended at the end for a selector that already has one, or a second
 * block for a breakpoint that already has one, is how the stylesheet drifted before.
 */
interface StylesheetShape {
  /** `context | selector list` for every rule, context '' outside any @media block. */
  readonly rules: string[];
  /** The query of every @media block, in order. */
  readonly mediaQueries: string[];
}

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ');
const selectorList = (prelude: string) => prelude.split(',').map(normalise).join(', ');

/** The index just after the `}` that closes the block opened at `open` (a `{`). */
function closingIndex(css: string, open: number): number {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    if (css[i] === '{') depth++;
    if (css[i] === '}' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

/** The rules of a block body (or of the whole sheet) with their preludes; @media blocks recurse. */
function collect(css: string, context: string, shape: StylesheetShape): void {
  let at = 0;
  for (let open = css.indexOf('{', at); open !== -1; open = css.indexOf('{', at)) {
    const prelude = normalise(css.slice(at, open));
    const end = closingIndex(css, open);
    if (prelude.startsWith('@media')) {
      const query = normalise(prelude.slice('@media'.length));
      shape.mediaQueries.push(query);
      collect(css.slice(open + 1, end - 1), query, shape);
    } else {
      shape.rules.push(`${context} | ${selectorList(prelude)}`);
    }
    at = end;
  }
}

function stylesheetShape(css: string): StylesheetShape {
  const shape: StylesheetShape = { rules: [], mediaQueries: [] };
  collect(css.replace(/\/\*[\s\S]*?\*\//g, ''), '', shape);
  return shape;
}

const repeated = (items: string[]) => [...new Set(items.filter((item, i) => items.indexOf(item) !== i))];

function stylesheetRepeats(css: string): { rules: string[]; mediaQueries: string[] } {
  const shape = stylesheetShape(css);
  return { rules: repeated(shape.rules), mediaQueries: repeated(shape.mediaQueries) };
}

describe('app.css', () => {
  it('finds a repeated selector list in one context and a repeated @media query', () => {
    const css = `
      /* a comment { with braces } */
      .a, .b { color: red; }
      @media (min-width: 720px) { .a,.b { color: blue; } }
      .c { margin: 0; }
      .a,
      .b { padding: 0; }
      @media (min-width:  720px) { .c { margin: 1px; } }
      @media print { .a, .b { color: black; } }`;
    expect(stylesheetRepeats(css)).toEqual({ rules: [' | .a, .b'], mediaQueries: ['(min-width: 720px)'] });
    expect(stylesheetShape(css).rules).toContain('(min-width: 720px) | .c');
  });

  it('has one rule per selector list in each media context and one block per media query', () => {
    const css = readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8');
    expect(stylesheetShape(css).rules.length).toBeGreaterThan(250);
    expect(stylesheetRepeats(css)).toEqual({ rules: [], mediaQueries: [] });
  });
});
