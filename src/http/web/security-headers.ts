import type { FastifyInstance } from 'fastify';

// No inline script or style anywhere: every script and stylesheet is a file under /assets.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every response, the API's included (harmless on JSON). */
export function registerSecurityHeaders(app: FastifyInstance, options: { secureCookies: boolean }): void {
  // A callback hook, not an async one: it runs on every response, the API's hot path included.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (options.secureCookies)
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.removeHeader('x-powered-by');
    done(null, payload);
  });
}
