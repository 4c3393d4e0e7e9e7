import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../src/app/context.js';
import { getProviderBalance } from '../src/app/get-provider-balance.js';
import { isDomainError } from '../src/domain/errors.js';
import { insertProvider } from '../src/storage/providers-repository.js';
import { providerNetwork } from '../src/upstream/provider-address.js';
import { buildOnce, builtTestProgram } from './support/cli.js';
import { createTestDatabase, type TestDatabase } from './support/databases.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const HOSTILE_BYTES = 200 * MiB;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * A hostile upstream: 200 MB of reply, made lazily chunk by chunk as the socket drains, so
 * neither side ever holds it. `sentBytes` says how far a client let it get.
 */
class HostileUpstream {
  sentBytes = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      if (request.url === '/small') {
        response.end('{"balance":"1","currency":"EUR"}');
        return;
      }
      response.writeHead(200, {
        'content-type': 'application/json',
        // Some hostile replies say how large they are, others do not.
        ...(request.url === '/declared' ? { 'content-length': String(HOSTILE_BYTES) } : {}),
      });
      let remaining = HOSTILE_BYTES;
      const pump = () => {
        while (remaining > 0 && !response.destroyed) {
          remaining -= CHUNK.length;
          this.sentBytes += CHUNK.length;
          if (!response.write(CHUNK)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('close', () => {
        remaining = 0;
      });
      pump();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

interface ChildReport {
  beforeBytes: number;
  peakBytes: number;
  afterBytes: number;
  elapsedMs: number;
  failure: { kind: string; reason: string } | null;
}

async function measureInChild(url: string, warmUpUrl: string): Promise<ChildReport> {
  const script = builtTestProgram(await buildOnce(), 'reply-cap-child');
  const { stdout } = await run(process.execPath, ['--expose-gc', script, url, warmUpUrl], {
    timeout: 60_000,
  });
  return JSON.parse(stdout) as ChildReport;
}

describe('a hostile upstream cannot exhaust our memory', () => {
  const upstream = new HostileUpstream();
  let db: TestDatabase & { drop(): Promise<void> };

  beforeAll(async () => {
    await upstream.start();
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await upstream.stop();
    await db.drop();
  });

  it.each(['/streamed', '/declared'])(
    'a 200 MB reply (%s) is cut after 1 MiB: memory grows by less than 20 MB and the call ends at once',
    async (path) => {
      upstream.sentBytes = 0;
      const report = await measureInChild(`${upstream.url}${path}`, `${upstream.url}/small`);
      const toMiB = (bytes: number) => (bytes / MiB).toFixed(1);
      console.info(
        `${path}: rss ${toMiB(report.beforeBytes)} → peak ${toMiB(report.peakBytes)} → after ${toMiB(report.afterBytes)} MiB, ` +
          `${report.elapsedMs.toFixed(0)} ms, upstream sent ${toMiB(upstream.sentBytes)} MiB`,
      );
      expect(report.failure).toEqual(expect.objectContaining({ kind: 'ambiguous', reason: 'too_large' }));
      expect(report.peakBytes - report.beforeBytes).toBeLessThan(20 * MiB);
      expect(report.afterBytes - report.beforeBytes).toBeLessThan(20 * MiB);
      expect(report.elapsedMs).toBeLessThan(2_000);
      // Whatever sat in the socket buffers when we hung up; far from the 200 MB it had to give.
      expect(upstream.sentBytes).toBeLessThan(32 * MiB);
    },
  );

  it('the admin path is cut the same way and says "reply too large"', async () => {
    const ctx = createAppContext(db.storage, db.clock, undefined, providerNetwork(true));
    await insertProvider(ctx.db, {
      name: 'hostile',
      url: `${upstream.url}/streamed`,
      api_key: 'reply-cap-key-1234',
      key_prefix: 'repl',
      created_at: 0,
      updated_at: 0,
    });
    const startedMs = performance.now();
    const refused = await getProviderBalance(ctx, { name: 'hostile', timeoutMs: 10_000 }).catch((e) => e);
    expect(isDomainError(refused, 'provider_call_failed')).toBe(true);
    expect(refused.details).toMatchObject({ provider: 'hostile', reason: 'too_large' });
    expect(performance.now() - startedMs).toBeLessThan(2_000);
  });
});
