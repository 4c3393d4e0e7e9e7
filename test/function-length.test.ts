import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { longFunctions, MAX_LINES } from './support/function-length.js';

/**
 * Rule 10 of style.md, checked on every function of `src`: the body of a function, method or
 * arrow function is at most 70 lines long, from its opening brace to its closing one (a long
 * parameter list is not counted). The checker itself lives in test/support/function-length.ts.
 */
const SRC = resolve(import.meta.dirname, '../src');

/** Files (or folders, ending in `/`) not checked, relative to `src`, each with its reason. */
const EXCEPTIONS: Record<string, string> = {
  'storage/migrations/': 'a migration is a frozen record of a schema change, never edited once shipped',
  'web/pages/docs-examples.ts': 'a data table of API examples, one long literal rather than logic',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function isException(path: string): boolean {
  return Object.keys(EXCEPTIONS).some((except) =>
    except.endsWith('/') ? path.startsWith(except) : path === except,
  );
}

describe('function length (style.md rule 10)', () => {
  it(`keeps every function of src at most ${MAX_LINES} lines`, () => {
    const offenders = sourceFiles(SRC)
      .map((path) => relative(SRC, path).split('\\').join('/'))
      .filter((path) => !isException(path))
      .flatMap((path) =>
        longFunctions(path, readFileSync(join(SRC, path), 'utf8')).map(
          ({ name, line, lines }) => `src/${path}:${line} ${name} (${lines} lines)`,
        ),
      );
    expect(offenders).toEqual([]);
  });

  it('reports a function over the limit', () => {
    const body = Array.from({ length: 78 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = `export function tooLong(): void {\n${body}\n}\n`;
    expect(text.split('\n').length - 1).toBe(80);
    expect(longFunctions('synthetic.ts', text)).toEqual([{ name: 'tooLong', line: 1, lines: 80 }]);
    expect(longFunctions('synthetic.ts', text, 80)).toEqual([]);
  });

  it('lists a reason for every exception', () => {
    for (const reason of Object.values(EXCEPTIONS)) expect(reason.length).toBeGreaterThan(10);
  });
});
