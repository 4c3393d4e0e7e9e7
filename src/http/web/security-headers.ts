import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's options for exactly the headers the web has always sent: no inline script or style
 * anywhere (every script and stylesheet is a file under /assets), and none of helmet's other
 * defaults, which nothing here needs.
 */
export function helmetOptions(options: { secureCookies: boolean }) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    xContentTypeOptions: true,
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'same-origin' as const },
    crossOriginOpenerPolicy: { policy: 'same-origin' as const },
    strictTransportSecurity: options.secureCookies
      ? { maxAge: 31_536_000, includeSubDomains: true, preload: false }
      : false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  };
}

// Helmet has no Permissions-Policy: the one header we set ourselves.
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=()';

/**
 * Security headers on every response of the scope it is given (the web's pages and assets):
 * /api/v2 and the webhook, registered outside it, run none of these hooks.
 */
export async function registerSecurityHeaders(
  web: FastifyInstance,
  options: { secureCookies: boolean },
): Promise<void> {
  await web.register(helmet, helmetOptions(options));
  web.addHook('onRequest', (_request, reply, done) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    done();
  });
}
