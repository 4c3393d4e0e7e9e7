import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/databases.js';
import { startWebServer, WebClient } from './support/web-client.js';

/** The web's security headers, exactly as they were before helmet sent them. */
const WEB_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};
const CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
];
const SECURITY_HEADERS = [
  ...Object.keys(WEB_HEADERS),
  'content-security-policy',
  'strict-transport-security',
];

const directivesOf = (csp: string | null) => (csp ?? '').split(';').map((part) => part.trim());

// Headers and assets do not depend on the database: SQLite alone.
describe('web headers, assets and CSRF', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let baseUrl = '';
  let stop: () => Promise<void>;
  let routes = '';
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const server = await startWebServer(db);
    baseUrl = server.baseUrl;
    routes = server.app.printRoutes({ includeHooks: true, commonPrefix: false });
    stop = () => server.app.close();
  });
  afterAll(async () => {
    await stop();
    await db.drop();
  });

  it('sends the same security headers on pages, errors and assets, and none of helmet’s others', async () => {
    for (const path of ['/login', '/no-such-page', '/assets/app.css']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(directivesOf(response.headers.get('content-security-policy')), path).toEqual(CSP_DIRECTIVES);
      for (const [name, value] of Object.entries(WEB_HEADERS))
        expect(response.headers.get(name), path).toBe(value);
      for (const name of [
        'strict-transport-security',
        'cross-origin-resource-policy',
        'origin-agent-cluster',
        'x-xss-protection',
        'x-dns-prefetch-control',
        'x-powered-by',
      ]) {
        expect(response.headers.get(name), `${path} ${name}`).toBeNull();
      }
    }
  });

  it('keeps /api/v2 and its 404 free of the web’s headers and cookies', async () => {
    const api = await fetch(`${baseUrl}/api/v2`, { method: 'POST', body: '{}' });
    const missing = await fetch(`${baseUrl}/api/v3`, { method: 'POST', body: '{}' });
    for (const response of [api, missing]) {
      expect(response.headers.get('content-type')).toContain('application/json');
      for (const name of [...SECURITY_HEADERS, 'set-cookie'])
        expect(response.headers.get(name), name).toBeNull();
    }
  });

  it('runs no hook of the web (cookies, CSRF, helmet, web state) on the API route, only the request count', () => {
    // The api/v2 line and its children (`/api/v2/`), up to the next route at its own level.
    const [first = '', ...after] = routes.slice(routes.indexOf('api/v2 (')).split('\n');
    const next = after.findIndex((line) => /^\s*[├└]── /.test(line));
    const api = [first, ...(next === -1 ? after : after.slice(0, next))].join('\n');
    expect(api).toContain('api/v2 (POST');
    expect(api).toContain('/ (POST');
    // The only hook on the API route is the metrics' count of every answer (request-metrics.ts).
    const hooks = api.split('\n').filter((line) => line.includes('•'));
    expect(hooks.length).toBeGreaterThan(0);
    for (const hook of hooks) expect(hook).toMatch(/• \(onResponse\) \["countRequest\(\)"\]$/);
  });

  it('serves fingerprinted assets for a year, plain names for minutes, nothing else', async () => {
    const page = await fetch(`${baseUrl}/login`);
    const html = await page.text();
    const css = /href="(\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    const js = /src="(\/assets\/app\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    expect(css).toBeDefined();
    expect(js).toBeDefined();
    const fingerprinted = await fetch(`${baseUrl}${css}`);
    expect(fingerprinted.status).toBe(200);
    expect(fingerprinted.headers.get('content-type')).toContain('text/css');
    expect(fingerprinted.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const plain = await fetch(`${baseUrl}/assets/app.css`);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await plain.text()).toBe(await fingerprinted.text());
    const etag = fingerprinted.headers.get('etag') ?? '';
    // A browser's revalidation (fetch would add `cache-control: no-cache` to a bare if-none-match).
    const revalidated = await fetch(`${baseUrl}${css}`, {
      headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' },
    });
    expect(revalidated.status).toBe(304);
    expect((await fetch(`${baseUrl}${js}`)).headers.get('content-type')).toContain('javascript');
    for (const path of ['/assets/app.000000000000.css', '/assets/..%2Fpackage.json', '/assets/README.md']) {
      expect((await fetch(`${baseUrl}${path}`)).status, path).toBe(404);
    }
  });

  it('refuses a token made from another visitor’s secret, and accepts the visitor’s own', async () => {
    const mallory = new WebClient(baseUrl);
    const forged = await mallory.csrfFrom('/login');
    const victim = new WebClient(baseUrl);
    const ownToken = await victim.csrfFrom('/login');
    const fields = { email: 'nobody@example.com', password: 'not the password' };
    expect((await victim.post('/login', { ...fields, _csrf: forged })).status).toBe(403);
    // The form's token is salted: it is never the secret the cookie holds.
    expect([...victim.cookies.values()]).not.toContain(ownToken);
    expect((await victim.post('/login', { ...fields, _csrf: ownToken })).status).toBe(401);
  });
});
