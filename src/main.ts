import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { WorkerPulse } from './app/check-readiness.js';
import type { AppContext } from './app/context.js';
import { seedDemo } from './app/seed-demo.js';
import { openApp } from './bootstrap.js';
import { type Config, loadConfig } from './config.js';
import { demoCredentialsPath, loadDemoCredentials, saveDemoCredentials } from './demo-credentials.js';
import { engineSettingsFrom } from './engine/settings.js';
import { Worker } from './engine/worker.js';
import { buildOperationsServer } from './http/operations-routes.js';
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
  const worker = config.runWorker
    ? new Worker({
        ctx: opened.ctx,
        settings: engineSettingsFrom(config.engine),
        logger: logger.child({ component: 'worker' }),
      })
    : undefined;
  const operations = { storage: opened.storage, worker: worker && workerPulse(worker, opened.ctx, config) };
  // ioredis is loaded only when a Redis is configured: a node without one never holds it.
  const sharedBuckets = config.redisUrl
    ? new (await import('./http/redis-buckets.js')).RedisBuckets({
        url: config.redisUrl,
        logger: logger.child({ component: 'rate-limit' }),
      })
    : undefined;
  if (sharedBuckets && !(await sharedBuckets.waitUntilConnected(2_000))) {
    logger.warn('Redis does not answer yet: this node applies its own rate limits until it does');
  }
  const app = await buildServer({
    ctx: opened.ctx,
    logger,
    ...(config.apiRateLimitPerSecond > 0 ? { rateLimit: apiRateLimit(config), sharedBuckets } : {}),
    operations: {
      ...operations,
      metricsAccess: config.metricsToken ? { token: config.metricsToken } : 'off',
    },
    register: (server) => registerWeb(server, { ctx: opened.ctx, secureCookies: config.secureCookies }),
  });
  await app.listen({ port: config.port, host: config.host });
  const metricsServer =
    config.metricsPort === null ? undefined : await buildOperationsServer(opened.ctx, operations);
  await metricsServer?.listen({ port: config.metricsPort ?? 0, host: config.metricsHost });
  worker?.start();
  // Every server runs the mail loop: mails are claimed one at a time, so several may.
  const mail = mailDispatcherFrom(config, opened.ctx, logger.child({ component: 'mail' }));
  mail.start();
  // Stop taking requests first; the requests under way, the worker's round and the mail being
  // sent finish side by side; only then is the database closed, so nothing acknowledged is lost.
  const stop = async () => {
    await Promise.all([app.close(), metricsServer?.close(), worker?.stop(), mail.stop()]);
    await sharedBuckets?.close();
    await opened.close();
  };
  return { app, metricsServer, opened, stop };
}

/** What /readyz knows of the worker: a round older than two leases means its loop is stuck. */
function workerPulse(worker: Worker, ctx: AppContext, config: Config): () => WorkerPulse {
  const startedAtMs = ctx.clock.now();
  const staleAfterMs = Math.max(2 * config.engine.leaseMs, 3 * config.engine.pollMs);
  return () => ({ lastRoundAtMs: worker.lastRoundAtMs, startedAtMs, staleAfterMs });
}

function printWelcome(config: Config, url: string): void {
  const lines = [`Inspiria is running at ${url}`, `API endpoint: ${url}/api/v2`];
  const demo = config.seedDemo ? loadDemoCredentials(config.dataDir) : undefined;
  if (demo) {
    lines.push(
      `Demo admin:    ${demo.admin.email} / ${demo.admin.password}`,
      // A demo seeded before two-factor sign-in has no key: its admin sets one up at first sign-in.
      ...(demo.admin.twoFactorSecret
        ? [
            `  second factor: add the key ${demo.admin.twoFactorSecret} to an authenticator app,`,
            `  or use a recovery code from ${demoCredentialsPath(config.dataDir)}`,
          ]
        : []),
      `Demo customer: ${demo.user.email} / ${demo.user.password}`,
      `Demo API key:  ${demo.user.apiKey}`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/** Starts the panel from the environment and stops it cleanly on SIGINT or SIGTERM. */
export async function runPanel(): Promise<void> {
  const config = loadConfig();
  const { app, metricsServer, stop } = await startPanel(config);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Handlers first: whoever reads the welcome may signal at once, and without a handler
  // SIGTERM kills the process before it closes the database.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
      stopWithin(stop, config.shutdownTimeoutMs).then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error instanceof Error ? error.message : String(error) }, 'unclean shutdown');
          process.exit(1);
        },
      );
    });
  }
  printWelcome(config, `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`);
  const metricsAddress = metricsServer?.server.address();
  if (metricsAddress && typeof metricsAddress === 'object') {
    process.stdout.write(`Metrics: http://${config.metricsHost}:${metricsAddress.port}/metrics\n\n`);
  }
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

/** Runs `stop`, or gives up after `timeoutMs`: a stuck request or upstream call cannot hold the exit for ever. */
function stopWithin(stop: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`not stopped within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([stop(), late]).finally(() => clearTimeout(timer));
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
