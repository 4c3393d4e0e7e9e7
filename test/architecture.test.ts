import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of style.md, checked on every import of `src` (rule 15): a folder may import
 * only the folders listed for it. Packages from node_modules are not layers and are not checked,
 * except that the domain stays pure (no process, no I/O).
 */
const SRC = resolve(import.meta.dirname, '../src');

type Layer =
  | 'domain'
  | 'storage'
  | 'app'
  | 'upstream'
  | 'payments'
  | 'mail'
  | 'engine'
  | 'http'
  | 'web'
  | 'cli'
  | 'observability'
  | 'root';

/** What each layer may import besides itself. `root` is `src/*.ts`: config, main, bootstrap. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  domain: [],
  // The metrics registry is a leaf every layer but the domain and the pages may count into.
  storage: ['domain', 'observability'],
  // Adapters of the outside world that use cases call through their own small interfaces.
  upstream: ['domain', 'observability'],
  app: ['domain', 'storage', 'upstream', 'observability'],
  observability: ['domain', 'app', 'storage'],
  payments: ['domain', 'app', 'root'],
  // Mails are pages sent by post: they share the web's escaping and number formats.
  mail: ['domain', 'app', 'storage', 'web', 'root'],
  engine: ['domain', 'storage', 'app', 'upstream', 'observability', 'root'],
  // Pages render what use cases return: they may name the use cases' types, never storage's.
  web: ['domain', 'app'],
  http: ['domain', 'app', 'web', 'upstream', 'payments', 'mail', 'observability', 'root'],
  cli: ['domain', 'storage', 'app', 'engine', 'upstream', 'payments', 'mail', 'observability', 'root'],
  root: [
    'domain',
    'storage',
    'app',
    'upstream',
    'payments',
    'mail',
    'engine',
    'http',
    'web',
    'cli',
    'observability',
  ],
};

/** The only Node built-in the domain may use: hashing is a pure function. */
const DOMAIN_BUILTINS = new Set(['node:crypto']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function layerOf(file: string): Layer {
  const parts = relative(SRC, file).split('/');
  if (parts.length === 1) return 'root';
  const layer = parts[0] as Layer;
  if (!(layer in ALLOWED)) throw new Error(`src/${parts[0]} is not a layer of style.md: add it to ALLOWED`);
  return layer;
}

/** Every module specifier of static imports, re-exports and dynamic imports. */
function importsOf(text: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\bfrom\s+'([^']+)'/g, /\bimport\s+'([^']+)'/g, /\bimport\(\s*'([^']+)'\s*\)/g];
  for (const pattern of patterns)
    for (const match of text.matchAll(pattern)) specifiers.push(match[1] as string);
  return specifiers;
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    const text = readFileSync(file, 'utf8');
    for (const specifier of importsOf(text)) {
      const where = `src/${relative(SRC, file)} imports '${specifier}'`;
      if (!specifier.startsWith('.')) {
        if (from === 'domain' && specifier.startsWith('node:') && !DOMAIN_BUILTINS.has(specifier)) {
          found.push(`${where}: the domain is pure`);
        }
        continue;
      }
      const to = layerOf(resolve(dirname(file), specifier));
      if (to !== from && !ALLOWED[from].includes(to)) found.push(`${where}: ${from} may not import ${to}`);
    }
    if (from === 'domain' && /process\.env|Date\.now\(\)/.test(text) && !file.endsWith('clock.ts')) {
      found.push(`src/${relative(SRC, file)}: the domain reads neither the environment nor the clock`);
    }
  }
  return found;
}

describe('architecture (style.md rule 15)', () => {
  it('every import follows the layer rules', () => {
    expect(violations()).toEqual([]);
  });

  it('catches an import against the rules', () => {
    // The checker itself can fail: a page importing storage is reported.
    expect(importsOf("import type { X } from '../../storage/schema.js';")).toEqual([
      '../../storage/schema.js',
    ]);
    const page = join(SRC, 'web/pages/example.ts');
    const to = layerOf(resolve(dirname(page), '../../storage/schema.js'));
    expect(ALLOWED[layerOf(page)].includes(to)).toBe(false);
    expect(ALLOWED.app.includes(layerOf(join(SRC, 'engine/worker.ts')))).toBe(false);
  });
});
