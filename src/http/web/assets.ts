import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const EXTENSIONS: ReadonlySet<string> = new Set(['.css', '.js', '.svg', '.png', '.ico']);

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const FIVE_MINUTES_MS = 5 * 60 * 1000;

interface AssetFile {
  /** The file's name in src/web/assets. */
  file: string;
  /** Whether the URL names the content (app.3f2a9c81d0e4.css): then it never changes. */
  isFingerprinted: boolean;
}

/** The assets by the names a URL may ask for, and each file's fingerprinted name for the pages. */
export interface Assets {
  byUrlName: ReadonlyMap<string, AssetFile>;
  fingerprinted: ReadonlyMap<string, string>;
}

/**
 * The project root, found by walking up to package.json: the same whether this file runs
 * from src/ under tsx or from dist/src/ after the build, so assets are never copied.
 */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (package.json)');
    dir = parent;
  }
  return dir;
}

export const ASSETS_DIR = join(projectRoot(), 'src', 'web', 'assets');

/**
 * Every file of src/web/assets, hashed once at start: a fixed list, so no path is ever joined
 * from a URL. Each is served under its plain name and under its fingerprinted one.
 */
export function loadAssets(): Assets {
  const byUrlName = new Map<string, AssetFile>();
  const fingerprinted = new Map<string, string>();
  for (const file of readdirSync(ASSETS_DIR)) {
    const extension = extname(file);
    if (!EXTENSIONS.has(extension)) continue;
    const hash = createHash('sha256')
      .update(readFileSync(join(ASSETS_DIR, file)))
      .digest('hex')
      .slice(0, 12);
    const urlName = `${file.slice(0, -extension.length)}.${hash}${extension}`;
    byUrlName.set(file, { file, isFingerprinted: false });
    byUrlName.set(urlName, { file, isFingerprinted: true });
    fingerprinted.set(file, urlName);
  }
  return { byUrlName, fingerprinted };
}

/** `/assets/:name` in a scope of its own: the files are sent (and revalidated) by @fastify/static. */
export async function registerAssets(web: FastifyInstance, assets: Assets): Promise<void> {
  await web.register(async (scope) => {
    await scope.register(fastifyStatic, { root: ASSETS_DIR, serve: false, index: false });
    scope.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
      const asset = assets.byUrlName.get(request.params.name);
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      // A fingerprinted name never changes content, so it may be cached for a year.
      return asset.isFingerprinted
        ? reply.sendFile(asset.file, { maxAge: YEAR_MS, immutable: true })
        : reply.sendFile(asset.file, { maxAge: FIVE_MINUTES_MS });
    });
  });
}

export function assetUrl(assets: Assets, name: string): string {
  return `/assets/${assets.fingerprinted.get(name) ?? name}`;
}
