import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEFAULT_CHROMIUM_PATH } from '../../scripts/ensure-chromium.js';
import { type AppContext, createAppContext } from '../../src/app/context.js';
import type { PaymentSettings } from '../../src/app/payment-settings.js';
import { systemClock } from '../../src/domain/clock.js';
import { registerWeb } from '../../src/http/web/web-plugin.js';
import { openStorage, type Storage } from '../../src/storage/connection.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { startServer } from './api-server.js';
import { copyMigratedSqlite, TEST_PROVIDER_NETWORK } from './databases.js';

/** Debian's Chromium headless shell, which `npm test` installs (scripts/ensure-chromium.ts says why). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
export const SCREENSHOT_DIR = resolve('artifacts', 'screenshots');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export interface BrowserEnv {
  readonly baseUrl: string;
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  readonly browser: Browser;
  /** Every route the web registered, as `METHOD /path` (for the admin 403 sweep). */
  readonly routes: { method: string; url: string }[];
  /** A fresh browser context (its own cookies) and page. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * The API and the web on a loopback port over a temporary SQLite file, and a headless Chromium.
 * `payments` are the context's payment settings (none offered by default).
 */
export async function startBrowserEnv(options: { payments?: PaymentSettings } = {}): Promise<BrowserEnv> {
  const file = join(
    tmpdir(),
    `inspiria-browser-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.db`,
  );
  await copyMigratedSqlite(file);
  const storage: Storage = openStorage(`sqlite:${file}`);
  await migrateToLatest(storage);
  const ctx = createAppContext(storage, systemClock, options.payments, TEST_PROVIDER_NETWORK);
  const routes: { method: string; url: string }[] = [];
  const { app, baseUrl } = await startServer({
    ctx,
    register: async (server) => {
      server.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) routes.push({ method, url: route.url });
      });
      await registerWeb(server, { ctx, secureCookies: false });
    },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    baseUrl,
    ctx,
    app,
    browser,
    routes,
    async newPage(viewport = DESKTOP) {
      const context = await browser.newContext({ viewport, locale: 'it-IT', timezoneId: 'Europe/Rome' });
      context.setDefaultTimeout(8000);
      return { context, page: await context.newPage() };
    },
    async close() {
      await browser.close();
      await app.close();
      await storage.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/**
 * Screenshots are a record for a person to look at, not an assertion, and a full-page PNG costs
 * a loaded core about a second: taken only when SCREENSHOTS=1 (`npm run screenshots`).
 */
export const ARE_SCREENSHOTS_TAKEN = process.env.SCREENSHOTS === '1';

/**
 * The language and width a whole browser flow runs at: each language once, at one width each,
 * for a flow none of whose steps depends on the width. With SCREENSHOTS=1, all four, so that
 * every page it visits is saved in each language at each width.
 */
export const FLOW_RUNS: readonly (readonly ['it' | 'en', typeof PHONE])[] = ARE_SCREENSHOTS_TAKEN
  ? [
      ['it', PHONE],
      ['it', DESKTOP],
      ['en', PHONE],
      ['en', DESKTOP],
    ]
  : [
      ['it', PHONE],
      ['en', DESKTOP],
    ];

/**
 * With SCREENSHOTS=1, a full-page PNG in artifacts/screenshots (gitignored), named
 * `<name>-<lang>-<width>.png`; otherwise nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!ARE_SCREENSHOTS_TAKEN) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const lang = await page.evaluate(() => document.documentElement.lang);
  const width = page.viewportSize()?.width ?? 0;
  // A full page (the docs page is several screens tall) can take longer than the context's 8 s
  // for one action while the rest of the suite loads both cores: a screenshot is a record, not
  // a speed check.
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}-${lang}-${width}.png`),
    fullPage: true,
    timeout: 60_000,
  });
}

/** Collects console errors, CSP violations and unexpected dialogs of a page: a clean page has none. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // An error page we asked for (400, 403) is logged as a failed load: not a script error.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));
  // Our own confirmations are accepted; any other dialog (an injected alert()) is an error.
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm') return void dialog.accept();
    errors.push(`unexpected ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return errors;
}
