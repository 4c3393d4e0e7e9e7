import type { FastifyReply } from 'fastify';

/** Cookie header to a map; a malformed pair is skipped, never an error. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index <= 0) continue;
    const name = pair.slice(0, index).trim();
    try {
      if (!cookies.has(name)) cookies.set(name, decodeURIComponent(pair.slice(index + 1).trim()));
    } catch {
      // A value that is not valid percent-encoding is ignored, as if absent.
    }
  }
  return cookies;
}

export interface CookieOptions {
  secure: boolean;
  httpOnly?: boolean;
  /** Seconds; 0 deletes the cookie. Omitted: a browser-session cookie. */
  maxAgeSeconds?: number;
}

/** Appends one Set-Cookie header (a reply may set several). Always Path=/ and SameSite=Lax. */
export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Lax'];
  if (options.httpOnly !== false) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}
