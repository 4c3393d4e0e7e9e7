import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../src/server-node-flags.js';
import { openStorage } from '../src/storage/connection.js';
import { callApi } from './support/api-server.js';
import { buildOnce, REPO, type RunningProcess, startProcess } from './support/cli.js';
import { describeEachDatabase } from './support/databases.js';

/**
 * What `npm start` runs after its build (`node dist/src/main.js`), on a fresh embedded
 * database: it migrates, seeds the demo once, serves, prints the URL and the demo logins,
 * and stops cleanly on SIGTERM. The recovery codes' file is printed as its path, which may
 * have spaces (this file's data directory has one), hence [^\n]+ rather than \S+.
 */
const WELCOME =
  /Inspiria is running at (http:\/\/127\.0\.0\.1:(\d+))\nAPI endpoint: \1\/api\/v2\nDemo admin: +(\S+) \/ (\S+)\n {2}second factor: add the key [A-Z2-7]{32} to an authenticator app,\n {2}or use a recovery code from [^\n]+demo-credentials\.json\nDemo customer: +(\S+) \/ (\S+)\nDemo API key: +(\S+)\n/;

/** Every process a test started, killed after the file if a failed test left it running. */
const started: RunningProcess[] = [];
function start(script: string, env: Record<string, string>, args: string[] = []): RunningProcess {
  const panel = startProcess(script, env, args);
  started.push(panel);
  return panel;
}
afterAll(() => {
  for (const panel of started) if (panel.child.exitCode === null) panel.child.kill('SIGKILL');
});

async function stopWithSigterm(panel: RunningProcess): Promise<number | null> {
  panel.child.kill('SIGTERM');
  return panel.exited();
}

describe('npm start from the built output', () => {
  let build = '';
  const home = mkdtempSync(join(tmpdir(), 'inspiria start '));
  const env = () => ({
    PORT: '0',
    DATA_DIR: join(home, 'data'),
    DATABASE_URL: `sqlite:${join(home, 'data', 'inspiria.db')}`,
    RUN_WORKER: 'false',
  });

  beforeAll(async () => {
    build = await buildOnce();
  }, 180_000);
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it('the package runs what the build emits: start is node dist/src/main.js, the bin dist/src/cli/main.js, both with the server flags', async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      bin: Record<string, string>;
    };
    const flags = SERVER_NODE_FLAGS.join(' ');
    expect(flags).not.toBe('');
    expect(manifest.scripts.start).toBe(`node ${flags} dist/src/main.js`);
    expect(manifest.scripts.prestart).toBe('npm run build');
    expect(manifest.scripts.prepare).toBe('npm run build');
    expect(manifest.bin.inspiria).toBe('dist/src/cli/main.js');
    const bin = await readFile(join(build, 'src/cli/main.js'), 'utf8');
    // `env -S` splits the rest of the line, so node gets the flags as its own arguments.
    expect(bin.startsWith(`#!/usr/bin/env -S node ${flags}\n`)).toBe(true);
  });

  let firstWelcome: RegExpMatchArray | undefined;

  it('first start migrates, seeds the demo, serves on the real port and prints the logins and key', async () => {
    const running = start(join(build, 'src/main.js'), env());
    const welcome = await running.waitFor(WELCOME);
    firstWelcome = welcome;
    const [, url = '', port = '', adminEmail, adminPassword, userEmail, userPassword, apiKey = ''] = welcome;
    expect(Number(port)).toBeGreaterThan(0);
    expect([adminEmail, userEmail]).toEqual(['admin@inspiria.demo', 'demo@inspiria.demo']);
    expect(adminPassword).not.toBe(userPassword);
    const balance = await callApi(url, { key: apiKey, action: 'balance' });
    expect(balance.body).toEqual({ balance: '100.0000', currency: 'EUR' });
    const services = await callApi(url, { key: apiKey, action: 'services' });
    expect(
      (services.body as { service: number }[]).map((service) => service.service).sort((a, b) => a - b),
    ).toEqual([2, 3, 4, 5, 6, 7, 1017]);
    // The key is printed once, to the operator, and never logged.
    expect(running.output().split(apiKey).length - 1).toBe(1);
    expect(await stopWithSigterm(running)).toBe(0);
  });

  it('a second start prints the same credentials and seeds nothing again', async () => {
    const running = start(join(build, 'src/main.js'), env());
    const welcome = await running.waitFor(WELCOME);
    expect(welcome.slice(3)).toEqual(firstWelcome?.slice(3));
    const balance = await callApi(welcome[1] ?? '', { key: welcome[7], action: 'balance' });
    expect(balance.body).toEqual({ balance: '100.0000', currency: 'EUR' });
    expect(await stopWithSigterm(running)).toBe(0);
    const storage = openStorage(env().DATABASE_URL);
    try {
      const accounts = await storage.db.selectFrom('accounts').select('email').orderBy('email').execute();
      expect(accounts.map((account) => account.email)).toEqual(['admin@inspiria.demo', 'demo@inspiria.demo']);
      expect(await storage.db.selectFrom('services').select('id').execute()).toHaveLength(7);
    } finally {
      await storage.close();
    }
  });

  it('starts from a path that is reached through a symlink and has a space in it', async () => {
    const linked = join(home, 'checkout with space');
    mkdirSync(linked, { recursive: true });
    symlinkSync(build, join(linked, 'dist'), 'dir');
    const running = start(join(linked, 'dist', 'src', 'main.js'), env());
    const welcome = await running.waitFor(WELCOME);
    expect(welcome.slice(3)).toEqual(firstWelcome?.slice(3));
    expect(await stopWithSigterm(running)).toBe(0);
  });
});

describeEachDatabase('inspiria serve', (db) => {
  let build = '';
  let blocker: Server | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'inspiria-serve-'));
  const env = (extra: Record<string, string> = {}) => ({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: db().url,
    RUN_WORKER: 'false',
    SEED_DEMO: 'false',
    ...extra,
  });

  beforeAll(async () => {
    build = await buildOnce();
  }, 180_000);
  afterAll(() => {
    blocker?.close();
  });

  it('serves the API on the given database until SIGTERM, then exits 0', async () => {
    const panel = start(join(build, 'src/cli/main.js'), env(), ['serve']);
    const [, url = ''] = await panel.waitFor(/Inspiria is running at (http:\/\/127\.0\.0\.1:\d+)\n/);
    const response = await callApi(url, { key: 'not-a-key', action: 'balance' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'Unauthorized' });
    expect(panel.output()).not.toMatch(/Demo/);
    expect(await stopWithSigterm(panel)).toBe(0);
  });

  it('fails with a clear message when the port is taken', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolvePort) => {
      blocker?.listen(0, '127.0.0.1', () => {
        const address = blocker?.address();
        resolvePort(typeof address === 'object' && address ? address.port : 0);
      });
    });
    const panel = start(join(build, 'src/cli/main.js'), env({ PORT: String(port) }), ['serve']);
    expect(await panel.exited()).toBe(1);
    expect(panel.errors()).toMatch(/^inspiria: .*EADDRINUSE/m);
    expect(panel.errors()).not.toMatch(/\n\s+at /);
  });
});
