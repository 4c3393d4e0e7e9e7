import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { completeSignIn, PENDING_SIGN_IN_TTL_MS } from '../../app/complete-sign-in.js';
import { confirmTwoFactor } from '../../app/confirm-two-factor.js';
import { disableTwoFactor } from '../../app/disable-two-factor.js';
import type { BothFactorsRefusal } from '../../app/prove-both-factors.js';
import { regenerateRecoveryCodes } from '../../app/regenerate-recovery-codes.js';
import { startTwoFactorEnrolment } from '../../app/start-two-factor-enrolment.js';
import type { StartedSession } from '../../app/start-web-session.js';
import { SESSION_TTL_MS } from '../../app/web-session-tokens.js';
import { twoFactorMessages } from '../../web/i18n/two-factor.js';
import {
  recoveryCodesPage,
  signInCodePage,
  type TwoFactorForm,
  twoFactorEnrolmentPage,
  twoFactorOnPage,
} from '../../web/pages/two-factor-pages.js';
import { formText, queryText, safeNextPath } from './form.js';
import { landingAfterLogIn } from './landing-after-log-in.js';
import { cookieNames, cookieOptions, type WebOptions } from './web-context.js';
import { requireAccount, sendPage } from './web-reply.js';

/** After a right password on an account with a second factor: to the code page, no session yet. */
export function sendToSecondFactor(
  reply: FastifyReply,
  options: WebOptions,
  pending: { pendingToken: string },
  next: string | undefined,
): FastifyReply {
  const names = cookieNames(options.secureCookies);
  const maxAge = Math.floor(PENDING_SIGN_IN_TTL_MS / 1000);
  reply.setCookie(names.pendingSignIn, pending.pendingToken, cookieOptions(options.secureCookies, maxAge));
  return reply.redirect(next ? `/login/code?next=${encodeURIComponent(next)}` : '/login/code', 303);
}

function setSession(reply: FastifyReply, options: WebOptions, session: StartedSession): void {
  const names = cookieNames(options.secureCookies);
  reply.setCookie(names.pendingSignIn, '', cookieOptions(options.secureCookies, 0));
  reply.setCookie(names.session, session.token, cookieOptions(options.secureCookies, SESSION_TTL_MS / 1000));
}

function registerSignInCodeRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const names = cookieNames(options.secureCookies);

  web.get('/login/code', async (request, reply) => {
    if (request.web.session) return reply.redirect('/dashboard', 303);
    if (!request.cookies[names.pendingSignIn]) return reply.redirect('/login', 303);
    const next = safeNextPath(queryText(request, 'next'));
    return sendPage(reply, signInCodePage(request.web.page, next ? { next } : {}));
  });

  web.post('/login/code', async (request, reply) => {
    const m = twoFactorMessages(request.web.lang);
    const next = safeNextPath(formText(request, 'next'));
    const userAgent = request.headers['user-agent'];
    const outcome = await completeSignIn(ctx, {
      pendingToken: request.cookies[names.pendingSignIn] ?? '',
      code: formText(request, 'code'),
      ip: request.ip,
      ...(userAgent ? { userAgent } : {}),
    });
    if (outcome.ok) {
      setSession(reply, options, outcome.session);
      return reply.redirect(landingAfterLogIn(outcome, next), 303);
    }
    const { t } = request.web.page;
    const [error, status] =
      outcome.reason === 'throttled'
        ? [t.auth.throttled, 429]
        : outcome.reason === 'expired'
          ? [m.codeExpired, 401]
          : [m.wrongCode, 401];
    return sendPage(reply, signInCodePage(request.web.page, { error, ...(next ? { next } : {}) }), status);
  });
}

async function sendTwoFactorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WebOptions,
  refusal?: { error: string; status: 400 | 429; form?: TwoFactorForm },
) {
  const error = refusal?.error;
  const session = request.web.session;
  if (!session) return reply.redirect('/login', 303);
  const { account } = session;
  const enrolment = await startTwoFactorEnrolment(options.ctx, {
    accountId: account.id,
    email: account.email,
  });
  const status = refusal?.status ?? 200;
  if (enrolment.isEnabled) {
    const { recoveryCodesLeft } = enrolment;
    return sendPage(
      reply,
      twoFactorOnPage(request.web.page, {
        recoveryCodesLeft,
        ...(error ? { error, errorForm: refusal?.form ?? 'disable' } : {}),
      }),
      status,
    );
  }
  // Loaded with the first enrolment page: an API node never draws a QR code.
  const { default: QRCode } = await import('qrcode');
  const qrSvg = await QRCode.toString(enrolment.uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const isRequiredForAdmin = account.role === 'admin' || queryText(request, 'required') === 'admin';
  return sendPage(
    reply,
    twoFactorEnrolmentPage(request.web.page, {
      secret: enrolment.secret,
      qrSvg,
      isRequiredForAdmin,
      ...(error ? { error } : {}),
    }),
    status,
  );
}

/** Sign-in's second step, and the account's two-factor setup (on, recovery codes, off). */
export function registerTwoFactorRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  registerSignInCodeRoutes(web, options);

  web.get('/account/two-factor', { preHandler: requireAccount }, async (request, reply) =>
    sendTwoFactorPage(request, reply, options),
  );

  web.post('/account/two-factor/confirm', { preHandler: requireAccount }, async (request, reply) => {
    const session = request.web.session;
    if (!session) return reply.redirect('/login', 303);
    const outcome = await confirmTwoFactor(ctx, {
      accountId: session.account.id,
      code: formText(request, 'code'),
    });
    if (!outcome.ok) {
      const error = twoFactorMessages(request.web.lang).wrongCode;
      return sendTwoFactorPage(request, reply, options, { error, status: 400 });
    }
    return sendPage(reply, recoveryCodesPage(request.web.page, outcome.recoveryCodes));
  });

  registerBothFactorsRoutes(web, options);
}

/** Refused for want of a factor: the two-factor page again, the error above the form it answers. */
function sendBothFactorsRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WebOptions,
  refusal: { reason: BothFactorsRefusal; form: TwoFactorForm },
) {
  const { t } = request.web.page;
  const error =
    refusal.reason === 'throttled'
      ? t.auth.throttled
      : refusal.reason === 'wrong_password'
        ? t.auth.wrongPassword
        : twoFactorMessages(request.web.lang).wrongCode;
  const status = refusal.reason === 'throttled' ? 429 : 400;
  return sendTwoFactorPage(request, reply, options, { error, status, form: refusal.form });
}

/** The changes to the second factor that need both factors: turning it off, new recovery codes. */
function registerBothFactorsRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const proofOf = (request: FastifyRequest, accountId: number) => ({
    accountId,
    password: formText(request, 'password'),
    code: formText(request, 'code'),
    ip: request.ip,
  });

  web.post('/account/two-factor/disable', { preHandler: requireAccount }, async (request, reply) => {
    const session = request.web.session;
    if (!session) return reply.redirect('/login', 303);
    const outcome = await disableTwoFactor(ctx, proofOf(request, session.account.id));
    if (outcome.ok) return reply.redirect('/account?notice=two_factor_off', 303);
    return sendBothFactorsRefusal(request, reply, options, { reason: outcome.reason, form: 'disable' });
  });

  web.post('/account/two-factor/recovery-codes', { preHandler: requireAccount }, async (request, reply) => {
    const session = request.web.session;
    if (!session) return reply.redirect('/login', 303);
    const outcome = await regenerateRecoveryCodes(ctx, proofOf(request, session.account.id));
    if (outcome.ok) {
      return sendPage(
        reply,
        recoveryCodesPage(request.web.page, outcome.recoveryCodes, { isRegenerated: true }),
      );
    }
    // Without a second factor there are no codes to renew: the page offers to turn it on.
    if (outcome.reason === 'not_enabled') return reply.redirect('/account/two-factor', 303);
    return sendBothFactorsRefusal(request, reply, options, { reason: outcome.reason, form: 'regenerate' });
  });
}
