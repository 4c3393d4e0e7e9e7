import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changePassword } from '../../app/change-password.js';
import { normaliseEmail } from '../../app/create-account.js';
import { listWebSessions } from '../../app/list-web-sessions.js';
import { logIn } from '../../app/log-in.js';
import { logOut } from '../../app/log-out.js';
import { getMailPreferences, saveMailPreferences } from '../../app/mail-preferences.js';
import { newPasswordRefusal } from '../../app/passwords.js';
import { signOutOtherSessions } from '../../app/sign-out-other-sessions.js';
import { signUp } from '../../app/sign-up.js';
import type { StartedSession } from '../../app/start-web-session.js';
import { SESSION_TTL_MS } from '../../app/web-session-tokens.js';
import { isDomainError } from '../../domain/errors.js';
import { formatUnits } from '../../domain/money.js';
import { emailAccountMessages } from '../../web/i18n/email-accounts.js';
import { refusalSentence } from '../../web/i18n/refusals.js';
import { type AccountPageState, accountPage, loginPage, signupPage } from '../../web/pages/auth-pages.js';
import {
  messagePage,
  type NotificationSettings,
  notificationsCard,
  signInLinkOffer,
} from '../../web/pages/email-account-pages.js';
import { parseDepositAmount } from './deposit-amount.js';

interface NotificationsState {
  settings?: NotificationSettings;
  error?: string;
  info?: string;
}

import { formText, queryText, safeNextPath } from './form.js';
import { landingAfterLogIn } from './landing-after-log-in.js';
import { sendToSecondFactor } from './two-factor-routes.js';
import { cookieNames, cookieOptions, type WebOptions } from './web-context.js';
import { requireAccount, sendPage } from './web-reply.js';

export function setSessionCookie(reply: FastifyReply, options: WebOptions, session: StartedSession): void {
  reply.setCookie(
    cookieNames(options.secureCookies).session,
    session.token,
    cookieOptions(options.secureCookies, Math.floor(SESSION_TTL_MS / 1000)),
  );
}

/** Where a new session was opened from, for the owner's list of devices. */
function deviceOf(request: FastifyRequest): { ip: string; userAgent?: string } {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, ...(userAgent ? { userAgent } : {}) };
}

export function registerAuthRoutes(web: FastifyInstance, options: WebOptions): void {
  registerLogInRoutes(web, options);
  registerSignUpRoutes(web, options);
  registerLogOutRoute(web, options);
  registerAccountPageRoutes(web, options);
}

/** The log-in form and its post. */
function registerLogInRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  web.get('/login', async (request, reply) => {
    if (request.web.session) return reply.redirect('/dashboard', 303);
    const { t } = request.web.page;
    const next = safeNextPath(queryText(request, 'next'));
    const info = queryText(request, 'notice') === 'logged_out' ? t.auth.loggedOut : undefined;
    return sendPage(
      reply,
      loginPage(request.web.page, { ...(next ? { next } : {}), ...(info ? { info } : {}) }),
    );
  });

  web.post('/login', async (request, reply) => {
    const { t } = request.web.page;
    const email = formText(request, 'email');
    const next = safeNextPath(formText(request, 'next'));
    const outcome = await logIn(ctx, {
      email,
      password: formText(request, 'password'),
      ...deviceOf(request),
    });
    if (!outcome.ok && outcome.reason === 'second_factor')
      return sendToSecondFactor(reply, options, outcome, next);
    if (!outcome.ok) {
      // One message for an unknown email and a wrong password (no account enumeration).
      const error = outcome.reason === 'throttled' ? t.auth.throttled : t.auth.invalidCredentials;
      const status = outcome.reason === 'throttled' ? 429 : 401;
      // Past the limit the owner is offered a sign-in link by mail: the guesser cannot read it.
      const offer = outcome.reason === 'throttled' ? { after: signInLinkOffer(request.web.page, email) } : {};
      return sendPage(
        reply,
        loginPage(request.web.page, { email, error, ...offer, ...(next ? { next } : {}) }),
        status,
      );
    }
    setSessionCookie(reply, options, outcome.session);
    return reply.redirect(landingAfterLogIn(outcome, next), 303);
  });
}

/** The sign-up form and its post. */
function registerSignUpRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  web.get('/signup', async (request, reply) => {
    if (request.web.session) return reply.redirect('/dashboard', 303);
    return sendPage(reply, signupPage(request.web.page));
  });

  web.post('/signup', async (request, reply) => {
    const { t } = request.web.page;
    const email = formText(request, 'email');
    const password = formText(request, 'password');
    const fail = (error: string) => sendPage(reply, signupPage(request.web.page, { email, error }), 400);
    if (!normaliseEmail(email)) return fail(t.auth.invalidEmail);
    const weakness = await newPasswordRefusal(password, [email]);
    if (weakness) return fail(refusalSentence(weakness, request.web.lang));
    try {
      const outcome = await signUp(ctx, { email, password, ip: request.ip, language: request.web.lang });
      const words = emailAccountMessages(request.web.lang);
      if (!outcome.ok)
        return sendPage(reply, signupPage(request.web.page, { email, error: words.requestThrottled }), 429);
      // The same page whether or not the address has an account: the mail tells the difference.
      const message = words.checkInbox(normaliseEmail(email) ?? email);
      return sendPage(
        reply,
        messagePage(request.web.page, { title: words.checkInboxTitle, message, kind: 'info' }),
      );
    } catch (error) {
      if (isDomainError(error)) return fail(refusalSentence(error.refusal, request.web.lang));
      throw error;
    }
  });
}

/** Ends this browser's session. */
function registerLogOutRoute(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  web.post('/logout', async (request, reply) => {
    if (request.web.sessionToken) await logOut(ctx, { token: request.web.sessionToken });
    reply.setCookie(cookieNames(options.secureCookies).session, '', cookieOptions(options.secureCookies, 0));
    return reply.redirect('/login?notice=logged_out', 303);
  });
}

type AccountPageSender = (
  request: FastifyRequest,
  reply: FastifyReply,
  state: Omit<AccountPageState, 'devices' | 'hasTwoFactor' | 'notifications'> & {
    notifications?: NotificationsState;
  },
  status?: number,
) => Promise<unknown>;

/** Renders the account page with the signed-in account's devices and mail preferences. */
function accountPageSender(ctx: WebOptions['ctx']): AccountPageSender {
  return async function sendAccountPage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: Omit<AccountPageState, 'devices' | 'hasTwoFactor' | 'notifications'> & {
      notifications?: NotificationsState;
    },
    status?: number,
  ) {
    const session = request.web.session;
    if (!session) return reply.redirect('/login', 303);
    const devices = await listWebSessions(ctx, {
      accountId: session.account.id,
      currentTokenHash: session.tokenHash,
    });
    const hasTwoFactor = session.account.hasTwoFactor;
    const saved = await getMailPreferences(ctx, { accountId: session.account.id });
    const { settings, ...notices } = state.notifications ?? {};
    const notifications = notificationsCard(
      request.web.page,
      settings ?? {
        language: saved.language,
        lowBalance:
          saved.lowBalanceThresholdUnits === null
            ? ''
            : formatUnits(saved.lowBalanceThresholdUnits).replace(/\.?0+$/, ''),
      },
      notices,
    );
    return sendPage(
      reply,
      accountPage(request.web.page, { ...state, devices, hasTwoFactor, notifications }),
      status,
    );
  };
}

/** The account page: notifications, password change, signing out other devices. */
function registerAccountPageRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const sendAccountPage = accountPageSender(ctx);

  web.post('/account/notifications', { preHandler: requireAccount }, async (request, reply) => {
    const words = emailAccountMessages(request.web.lang);
    const accountId = request.web.session?.account.id ?? 0;
    const lowBalance = formText(request, 'low_balance').trim().slice(0, 20);
    const language = formText(request, 'language') === 'en' ? 'en' : 'it';
    const thresholdUnits = lowBalance === '' ? null : parseDepositAmount(lowBalance);
    if (thresholdUnits === undefined || thresholdUnits === 0) {
      const notifications = { error: words.lowBalanceInvalid, settings: { language, lowBalance } } as const;
      return sendAccountPage(request, reply, { notifications }, 400);
    }
    await saveMailPreferences(ctx, { accountId, language, lowBalanceThresholdUnits: thresholdUnits });
    return sendAccountPage(request, reply, { notifications: { info: words.notificationsSaved } });
  });

  web.get('/account', { preHandler: requireAccount }, async (request, reply) => {
    const isTwoFactorOff = queryText(request, 'notice') === 'two_factor_off';
    return sendAccountPage(request, reply, isTwoFactorOff ? { twoFactorInfo: true } : {});
  });

  web.post('/account/password', { preHandler: requireAccount }, async (request, reply) => {
    const { t } = request.web.page;
    const session = request.web.session;
    if (!session) return reply.redirect('/login', 303);
    const outcome = await changePassword(ctx, {
      accountId: session.account.id,
      currentPassword: formText(request, 'current_password'),
      newPassword: formText(request, 'new_password'),
      keepSessionHash: session.tokenHash,
      ip: request.ip,
    });
    if (!outcome.ok) {
      const error =
        outcome.reason === 'weak_password'
          ? refusalSentence(outcome.refusal, request.web.lang)
          : outcome.reason === 'throttled'
            ? t.auth.throttled
            : t.auth.wrongPassword;
      return sendAccountPage(request, reply, { error }, outcome.reason === 'throttled' ? 429 : 400);
    }
    return sendAccountPage(request, reply, { info: t.auth.changed });
  });

  web.post('/account/sessions/sign-out-others', { preHandler: requireAccount }, async (request, reply) => {
    const session = request.web.session;
    if (!session) return reply.redirect('/login', 303);
    const ended = await signOutOtherSessions(ctx, {
      accountId: session.account.id,
      keepSessionHash: session.tokenHash,
    });
    return sendAccountPage(request, reply, {
      sessionsInfo: request.web.page.t.sessions.signedOutOthers(ended),
    });
  });
}
