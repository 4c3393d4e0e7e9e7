import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { seedDemo } from './app/seed-demo.js';
import { openApp } from './bootstrap.js';
import { type Config, loadConfig } from './config.js';
import { loadDemoCredentials, saveDemoCredentials } from './demo-credentials.js';
import { engineSettingsFrom } from './engine/settings.js';
import { Worker } from './engine/worker.js';
import type { RateLimitSettings } from './http/rate-limit.js';
import { buildServer, loggerOptions } from './http/server.js';
import { registerWeb } from './http/web/web-plugin.js';
import { mailDispatcherFrom } from './mail/mail-from-config.js';

/** The composition root: the one place where configuration, storage, HTTP and the worker meet. */
export async function startPanel(config: Config) {
  const logger = pino(loggerOptions(config.logLevel));
  const opened = await openApp(config);
  if (config.seedDemo) {
    const seeded = await seedDemo(opened.ctx, { actor: 'demo-seed' });
    if (seeded) saveDemoCredentials(config.dataDir, seeded);
  }
  const app = await buildServer({
    ctx: opened.ctx,
    logger,
    ...(config.apiRateLimitPerSecond > 0 ? { rateLimit: apiRateLimit(config) } : {}),
    register: (server) => registerWeb(server, { ctx: opened.ctx, secureCookies: config.secureCookies }),
  });
  await app.listen({ port: config.port, host: config.host });
  const worker = config.runWorker
    ? new Worker({
        ctx: opened.ctx,
        settings: engineSettingsFrom(config.engine),
        logger: logger.child({ component: 'worker' }),
      })
    : undefined;
  worker?.start();
  // Every server runs the mail loop: mails are claimed one at a time, so several may.
  const mail = mailDispatcherFrom(config, opened.ctx, logger.child({ component: 'mail' }));
  mail.start();
  const stop = async () => {
    await mail.stop();
    await worker?.stop();
    await app.close();
    await opened.close();
  };
  return { app, opened, stop };
}

function printWelcome(config: Config, url: string): void {
  const lines = [`Inspiria is running at ${url}`, `API endpoint: ${url}/api/v2`];
  const demo = config.seedDemo ? loadDemoCredentials(config.dataDir) : undefined;
  if (demo) {
    lines.push(
      `Demo admin:    ${demo.admin.email} / ${demo.admin.password}`,
      `Demo customer: ${demo.user.email} / ${demo.user.password}`,
      `Demo API key:  ${demo.user.apiKey}`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/** Starts the panel from the environment and stops it cleanly on SIGINT or SIGTERM. */
export async function runPanel(): Promise<void> {
  const config = loadConfig();
  const { app, stop } = await startPanel(config);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Handlers first: whoever reads the welcome may signal at once, and without a handler
  // SIGTERM kills the process before it closes the database.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  printWelcome(config, `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`);
}

/** Whether node was started with this file (`npm start`), however its path was spelt: symlinks, spaces. */
function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runPanel().catch((error: unknown) => {
    process.stderr.write(`inspiria: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

function apiRateLimit(config: Config): RateLimitSettings {
  const perKey = { perSecond: config.apiRateLimitPerSecond, burst: config.apiRateLimitBurst };
  if (config.apiAnonymousRateLimitPerSecond === 0) return perKey;
  return {
    ...perKey,
    perAddress: {
      perSecond: config.apiAnonymousRateLimitPerSecond,
      burst: config.apiAnonymousRateLimitBurst,
    },
  };
}
