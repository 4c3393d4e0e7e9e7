import type { SignedInDevice } from '../../app/list-web-sessions.js';
import { csrfField, field, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { emailAccountMessages } from '../i18n/email-accounts.js';
import { twoFactorMessages } from '../i18n/two-factor.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { accountSessionsCard } from './account-sessions.js';
import { twoFactorCard } from './two-factor-pages.js';

export interface AuthFormState {
  email?: string;
  error?: string;
  info?: string;
  next?: string;
  /** Below the form: the emailed sign-in link offered past the guess limit. */
  after?: SafeHtml;
}

function credentialsFields(page: PageContext, state: AuthFormState, isNew: boolean): SafeHtml {
  const { t } = page;
  return html`${field({
    id: 'email',
    label: t.auth.email,
    input: html`<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${state.email ?? ''}">`,
  })}
  ${field({
    id: 'password',
    label: t.auth.password,
    ...(isNew ? { hint: t.auth.passwordHint } : {}),
    input: html`<input id="password" name="password" type="password" required maxlength="256" ${
      isNew
        ? html`minlength="10" autocomplete="new-password" aria-describedby="password-hint"`
        : html`autocomplete="current-password"`
    }>`,
  })}`;
}

export function loginPage(page: PageContext, state: AuthFormState = {}): SafeHtml {
  const { t } = page;
  return layout(page, {
    title: t.nav.login,
    narrow: true,
    body: html`<section class="card auth-card">
      <h1>${t.auth.loginTitle}</h1>
      ${state.info ? notice('success', state.info) : ''}
      ${state.error ? notice('error', state.error) : ''}
      <form method="post" action="/login" class="stack" novalidate>
        ${csrfField(page)}
        ${state.next ? html`<input type="hidden" name="next" value="${state.next}">` : ''}
        ${credentialsFields(page, state, false)}
        <button type="submit" class="button button-primary button-block">${t.auth.loginButton}</button>
      </form>
      ${state.after ?? ''}
      <p class="muted center"><a href="/forgot-password">${emailAccountMessages(page.lang).forgotLink}</a></p>
      <p class="muted center">${t.auth.noAccount} <a href="/signup">${t.nav.signup}</a></p>
    </section>`,
  });
}

export function signupPage(page: PageContext, state: AuthFormState = {}): SafeHtml {
  const { t } = page;
  return layout(page, {
    title: t.nav.signup,
    narrow: true,
    body: html`<section class="card auth-card">
      <h1>${t.auth.signupTitle}</h1>
      ${state.error ? notice('error', state.error) : ''}
      <form method="post" action="/signup" class="stack" novalidate>
        ${csrfField(page)}
        ${credentialsFields(page, state, true)}
        <button type="submit" class="button button-primary button-block">${t.auth.signupButton}</button>
      </form>
      <p class="muted center">${t.auth.haveAccount} <a href="/login">${t.nav.login}</a></p>
    </section>`,
  });
}

export interface AccountPageState {
  devices: readonly SignedInDevice[];
  error?: string;
  info?: string;
  /** Said above the devices, after signing out the others. */
  sessionsInfo?: string;
  hasTwoFactor: boolean;
  /** Two-factor sign-in was just turned off. */
  twoFactorInfo?: boolean;
  /** The mail settings card (email-account-pages.ts). */
  notifications?: SafeHtml;
}

export function accountPage(page: PageContext, state: AccountPageState): SafeHtml {
  const { t } = page;
  return layout(page, {
    title: t.nav.account,
    narrow: true,
    body: html`<h1>${t.nav.account}</h1>
    <p class="muted">${page.account ? t.auth.signedInAs(page.account.email) : ''}</p>
    <section class="card">
      <h2>${t.auth.changeTitle}</h2>
      ${state.info ? notice('success', state.info) : ''}
      ${state.error ? notice('error', state.error) : ''}
      <form method="post" action="/account/password" class="stack">
        ${csrfField(page)}
        ${field({
          id: 'current_password',
          label: t.auth.currentPassword,
          input: html`<input id="current_password" name="current_password" type="password" required autocomplete="current-password" maxlength="256">`,
        })}
        ${field({
          id: 'new_password',
          label: t.auth.newPassword,
          hint: t.auth.passwordHint,
          input: html`<input id="new_password" name="new_password" type="password" required minlength="10" maxlength="256" autocomplete="new-password" aria-describedby="new_password-hint">`,
        })}
        <button type="submit" class="button button-primary">${t.auth.changeButton}</button>
      </form>
    </section>
    ${state.twoFactorInfo ? notice('success', twoFactorMessages(page.lang).disabled) : ''}
    ${twoFactorCard(page, state.hasTwoFactor)}
    ${state.notifications ?? ''}
    ${state.sessionsInfo ? notice('success', state.sessionsInfo) : ''}
    ${accountSessionsCard(page, state.devices)}`,
  });
}
