import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/app/context.js';
import { registerWeb } from '../../src/http/web/web-plugin.js';
import { startServer } from './api-server.js';
import type { TestDatabase } from './databases.js';

/**
 * The API and the web on a loopback port, over the suite's database (plain-HTTP cookies by
 * default). `ctx` replaces the suite's context, e.g. one with payment settings.
 */
export async function startWebServer(
  db: TestDatabase,
  options: { secureCookies?: boolean; ctx?: AppContext } = {},
): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const ctx = options.ctx ?? db.ctx;
  return startServer({
    ctx,
    register: (server) => registerWeb(server, { ctx, secureCookies: options.secureCookies ?? false }),
  });
}

/** A tiny browser without JavaScript: keeps cookies, reads the CSRF field, posts forms. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = decodeURIComponent(pair.slice(index + 1));
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: { cookie: this.cookieHeader() },
      redirect: 'manual',
    });
    this.remember(response);
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  /** The `_csrf` value of the first form on the page at `path`. */
  async csrfFrom(path: string): Promise<string> {
    const page = await this.get(path);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!match?.[1]) throw new Error(`no CSRF field on ${path} (${page.status})`);
    return match[1];
  }

  async post(
    path: string,
    fields: Record<string, string>,
  ): Promise<{ status: number; text: string; headers: Headers; location: string | null }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return {
      status: response.status,
      text: await response.text(),
      headers: response.headers,
      location: response.headers.get('location'),
    };
  }

  /** Fetches a form page for its token, then posts the fields with it. */
  async submit(formPath: string, action: string, fields: Record<string, string>) {
    const csrf = await this.csrfFrom(formPath);
    return this.post(action, { ...fields, _csrf: csrf });
  }
}
