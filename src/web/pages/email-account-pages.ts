import { csrfField, field, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { emailAccountMessages } from '../i18n/email-accounts.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

/** A short page that only says something: "check your inbox", "address confirmed", "link not valid". */
export function messagePage(
  page: PageContext,
  options: {
    title: string;
    message: string;
    kind: 'success' | 'error' | 'info';
    next?: { href: string; label: string };
  },
): SafeHtml {
  return layout(page, {
    title: options.title,
    narrow: true,
    body: html`<section class="card auth-card">
      <h1>${options.title}</h1>
      ${notice(options.kind, options.message)}
      ${options.next ? html`<p class="center"><a href="${options.next.href}">${options.next.label}</a></p>` : ''}
    </section>`,
  });
}

function emailField(page: PageContext, email: string | undefined): SafeHtml {
  return field({
    id: 'email',
    label: page.t.auth.email,
    input: html`<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${email ?? ''}">`,
  });
}

export function forgotPasswordPage(
  page: PageContext,
  state: { email?: string; error?: string } = {},
): SafeHtml {
  const words = emailAccountMessages(page.lang);
  return layout(page, {
    title: words.forgotTitle,
    narrow: true,
    body: html`<section class="card auth-card">
      <h1>${words.forgotTitle}</h1>
      ${state.error ? notice('error', state.error) : ''}
      <p class="muted">${words.forgotIntro}</p>
      <form method="post" action="/forgot-password" class="stack" novalidate>
        ${csrfField(page)}
        ${emailField(page, state.email)}
        <button type="submit" class="button button-primary button-block">${words.forgotButton}</button>
      </form>
      <p class="muted center"><a href="/login">${page.t.nav.login}</a></p>
    </section>`,
  });
}

export function resetPasswordPage(page: PageContext, state: { token: string; error?: string }): SafeHtml {
  const { t } = page;
  const words = emailAccountMessages(page.lang);
  return layout(page, {
    title: words.resetTitle,
    narrow: true,
    body: html`<section class="card auth-card">
      <h1>${words.resetTitle}</h1>
      ${state.error ? notice('error', state.error) : ''}
      <form method="post" action="/reset-password" class="stack" novalidate>
        ${csrfField(page)}
        <input type="hidden" name="token" value="${state.token}">
        ${field({
          id: 'new_password',
          label: t.auth.newPassword,
          hint: t.auth.passwordHint,
          input: html`<input id="new_password" name="new_password" type="password" required minlength="10" maxlength="256" autocomplete="new-password" aria-describedby="new_password-hint">`,
        })}
        <button type="submit" class="button button-primary button-block">${words.resetButton}</button>
      </form>
    </section>`,
  });
}

/** The emailed sign-in link opens this page; the POST signs in, so a mail scanner's GET uses nothing. */
export function signInLinkPage(page: PageContext, state: { token: string }): SafeHtml {
  const words = emailAccountMessages(page.lang);
  return layout(page, {
    title: words.signInLinkTitle,
    narrow: true,
    body: html`<section class="card auth-card">
      <h1>${words.signInLinkTitle}</h1>
      <form method="post" action="/sign-in-link" class="stack">
        ${csrfField(page)}
        <input type="hidden" name="token" value="${state.token}">
        <button type="submit" class="button button-primary button-block">${words.signInLinkButton}</button>
      </form>
    </section>`,
  });
}

/** Under the log-in form once the account's guesses passed the limit: the owner's way in. */
export function signInLinkOffer(page: PageContext, email: string): SafeHtml {
  const words = emailAccountMessages(page.lang);
  return html`<form method="post" action="/sign-in-link/request" class="stack sign-in-link-offer">
    ${csrfField(page)}
    <p class="small">${words.linkOffer}</p>
    <input type="hidden" name="email" value="${email}">
    <button type="submit" class="button button-block">${words.linkOfferButton}</button>
  </form>`;
}

export interface NotificationSettings {
  language: 'it' | 'en';
  /** As typed or as stored, in euros; empty for none. */
  lowBalance: string;
}

/** The account page's card: the language of the mails and the low-balance threshold. */
export function notificationsCard(
  page: PageContext,
  settings: NotificationSettings,
  state: { error?: string; info?: string } = {},
): SafeHtml {
  const words = emailAccountMessages(page.lang);
  const option = (value: 'it' | 'en', label: string) =>
    html`<option value="${value}"${settings.language === value ? html` selected` : ''}>${label}</option>`;
  return html`<section class="card" id="notifications">
    <h2>${words.notificationsTitle}</h2>
    ${state.info ? notice('success', state.info) : ''}
    ${state.error ? notice('error', state.error) : ''}
    <form method="post" action="/account/notifications" class="stack">
      ${csrfField(page)}
      ${field({
        id: 'mail_language',
        label: words.mailLanguage,
        input: html`<select id="mail_language" name="language">${option('it', 'Italiano')}${option('en', 'English')}</select>`,
      })}
      ${field({
        id: 'low_balance',
        label: words.lowBalance,
        hint: words.lowBalanceHint,
        input: html`<input id="low_balance" name="low_balance" inputmode="decimal" maxlength="20" value="${settings.lowBalance}" aria-describedby="low_balance-hint">`,
      })}
      <button type="submit" class="button button-primary">${words.saveNotifications}</button>
    </form>
  </section>`;
}
