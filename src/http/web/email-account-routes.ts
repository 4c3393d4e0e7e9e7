import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAccountTokenValid } from '../../app/account-tokens.js';
import { requestEmailedLink } from '../../app/request-emailed-link.js';
import { resendVerification } from '../../app/resend-verification.js';
import { resetPassword } from '../../app/reset-password.js';
import { signInWithLink } from '../../app/sign-in-with-link.js';
import { verifyEmail } from '../../app/verify-email.js';
import { emailAccountMessages } from '../../web/i18n/email-accounts.js';
import { refusalSentence } from '../../web/i18n/refusals.js';
import {
  forgotPasswordPage,
  messagePage,
  resetPasswordPage,
  signInLinkPage,
} from '../../web/pages/email-account-pages.js';
import { setSessionCookie } from './auth-routes.js';
import { formText, queryText } from './form.js';
import { landingAfterLogIn } from './landing-after-log-in.js';
import { sendToSecondFactor } from './two-factor-routes.js';
import { cookieNames, cookieOptions, type WebOptions } from './web-context.js';
import { requireAccount, sendPage } from './web-reply.js';

function deviceOf(request: FastifyRequest): { ip: string; userAgent?: string } {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, ...(userAgent ? { userAgent } : {}) };
}

const wordsOf = (request: FastifyRequest) => emailAccountMessages(request.web.lang);
const invalidLink = (request: FastifyRequest) =>
  messagePage(request.web.page, {
    title: wordsOf(request).linkInvalidTitle,
    message: wordsOf(request).linkInvalid,
    kind: 'error',
    next: { href: '/forgot-password', label: wordsOf(request).forgotLink },
  });

/** Email verification, "forgot password" and the emailed sign-in link. */
export function registerEmailAccountRoutes(web: FastifyInstance, options: WebOptions): void {
  registerVerifyEmailRoutes(web, options);
  registerPasswordResetRoutes(web, options);
  registerSignInLinkRoutes(web, options);
}

/** The link that verifies an address, and sending it again. */
function registerVerifyEmailRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  web.get('/verify-email', async (request, reply) => {
    const words = wordsOf(request);
    if (!(await verifyEmail(ctx, { token: queryText(request, 'token') }))) {
      return sendPage(reply, invalidLink(request), 400);
    }
    const next = request.web.session
      ? { href: '/dashboard', label: request.web.page.t.nav.dashboard }
      : { href: '/login', label: request.web.page.t.nav.login };
    return sendPage(
      reply,
      messagePage(request.web.page, {
        title: words.verifiedTitle,
        message: words.verified,
        kind: 'success',
        next,
      }),
    );
  });

  web.post('/verify-email/resend', { preHandler: requireAccount }, async (request, reply) => {
    const words = wordsOf(request);
    const accountId = request.web.session?.account.id ?? 0;
    const outcome = await resendVerification(ctx, { accountId, ip: request.ip });
    if (!outcome.ok && outcome.reason === 'already_verified') return reply.redirect('/dashboard', 303);
    const isSent = outcome.ok;
    return sendPage(
      reply,
      messagePage(request.web.page, {
        title: words.checkInboxTitle,
        message: isSent ? words.resent : words.requestThrottled,
        kind: isSent ? 'success' : 'error',
      }),
      isSent ? 200 : 429,
    );
  });
}

/** "Forgot password": asking for the mailed link, and the form it opens. */
function registerPasswordResetRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  web.get('/forgot-password', async (request, reply) =>
    sendPage(reply, forgotPasswordPage(request.web.page)),
  );

  // The same page for a known and an unknown address (no enumeration); a mail only for a known one.
  web.post('/forgot-password', async (request, reply) => {
    const words = wordsOf(request);
    const email = formText(request, 'email').slice(0, 254);
    const outcome = await requestEmailedLink(ctx, { email, ip: request.ip, purpose: 'reset_password' });
    if (!outcome.ok) {
      return sendPage(
        reply,
        forgotPasswordPage(request.web.page, { email, error: words.requestThrottled }),
        429,
      );
    }
    return sendPage(
      reply,
      messagePage(request.web.page, {
        title: words.checkInboxTitle,
        message: words.forgotSent(email),
        kind: 'info',
      }),
    );
  });

  web.get('/reset-password', async (request, reply) => {
    const token = queryText(request, 'token');
    if (!(await isAccountTokenValid(ctx.db, { purpose: 'reset_password', token, nowMs: ctx.clock.now() }))) {
      return sendPage(reply, invalidLink(request), 400);
    }
    return sendPage(reply, resetPasswordPage(request.web.page, { token }));
  });

  web.post('/reset-password', async (request, reply) => {
    const words = wordsOf(request);
    const token = formText(request, 'token');
    const outcome = await resetPassword(ctx, { token, newPassword: formText(request, 'new_password') });
    if (!outcome.ok && outcome.reason === 'weak_password') {
      const error = refusalSentence(outcome.refusal, request.web.lang);
      return sendPage(reply, resetPasswordPage(request.web.page, { token, error }), 400);
    }
    if (!outcome.ok) return sendPage(reply, invalidLink(request), 400);
    // Every session of the account ended, this browser's too if it had one.
    reply.setCookie(cookieNames(options.secureCookies).session, '', cookieOptions(options.secureCookies, 0));
    const next = { href: '/login', label: request.web.page.t.nav.login };
    return sendPage(
      reply,
      messagePage(request.web.page, {
        title: words.resetTitle,
        message: words.resetDone,
        kind: 'success',
        next,
      }),
    );
  });
}

/** The emailed sign-in link: asking for it, its page, and signing in with it. */
function registerSignInLinkRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  web.post('/sign-in-link/request', async (request, reply) => {
    const words = wordsOf(request);
    const email = formText(request, 'email').slice(0, 254);
    const outcome = await requestEmailedLink(ctx, { email, ip: request.ip, purpose: 'sign_in' });
    return sendPage(
      reply,
      messagePage(request.web.page, {
        title: words.checkInboxTitle,
        message: outcome.ok ? words.linkSent(email) : words.requestThrottled,
        kind: outcome.ok ? 'info' : 'error',
      }),
      outcome.ok ? 200 : 429,
    );
  });

  web.get('/sign-in-link', async (request, reply) =>
    sendPage(reply, signInLinkPage(request.web.page, { token: queryText(request, 'token') })),
  );

  web.post('/sign-in-link', async (request, reply) => {
    const outcome = await signInWithLink(ctx, { token: formText(request, 'token'), ...deviceOf(request) });
    if (!outcome.ok && outcome.reason === 'second_factor')
      return sendToSecondFactor(reply, options, outcome, undefined);
    if (!outcome.ok) return sendPage(reply, invalidLink(request), 400);
    setSessionCookie(reply, options, outcome.session);
    return reply.redirect(landingAfterLogIn(outcome, undefined), 303);
  });
}
