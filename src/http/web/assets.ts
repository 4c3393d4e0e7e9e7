import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

interface Asset {
  body: Buffer;
  type: string;
  hash: string;
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

/** Every file of src/web/assets, read once at start: a fixed list, so no path is ever joined from a URL. */
export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(ASSETS_DIR)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(ASSETS_DIR, name));
    assets.set(name, { body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) });
  }
  return assets;
}

export function registerAssets(app: FastifyInstance, assets: Map<string, Asset>): void {
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    // A versioned URL (?v=hash) never changes content, so it may be cached for a year.
    const isVersioned = (request.query as { v?: string }).v === asset.hash;
    reply.header(
      'cache-control',
      isVersioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    );
    reply.header('etag', `"${asset.hash}"`);
    if (request.headers['if-none-match'] === `"${asset.hash}"`) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  });
}

export function assetUrl(assets: Map<string, Asset>, name: string): string {
  const asset = assets.get(name);
  return asset ? `/assets/${name}?v=${asset.hash}` : `/assets/${name}`;
}
