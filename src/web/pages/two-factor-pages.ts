import { csrfField, field, notice } from '../components.js';
import { html, raw, type SafeHtml } from '../html.js';
import { twoFactorMessages } from '../i18n/two-factor.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

export interface CodePageState {
  error?: string;
  next?: string;
}

/** Sign-in, second step: the app code (or a recovery code) after a right password. */
export function signInCodePage(page: PageContext, state: CodePageState = {}): SafeHtml {
  const m = twoFactorMessages(page.lang);
  return layout(page, {
    title: m.codeTitle,
    narrow: true,
    body: html`<section class="card auth-card">
      <h1>${m.codeTitle}</h1>
      <p class="muted">${m.codeIntro}</p>
      ${state.error ? notice('error', state.error) : ''}
      <form method="post" action="/login/code" class="stack" novalidate>
        ${csrfField(page)}
        ${state.next ? html`<input type="hidden" name="next" value="${state.next}">` : ''}
        ${field({
          id: 'code',
          label: m.codeLabel,
          hint: m.codeHint,
          input: html`<input id="code" name="code" type="text" inputmode="text" autocomplete="one-time-code" required maxlength="40" autofocus aria-describedby="code-hint" class="mono">`,
        })}
        <button type="submit" class="button button-primary button-block">${m.codeButton}</button>
      </form>
      <p class="muted center"><a href="/login">${m.backToLogin}</a></p>
    </section>`,
  });
}

export interface EnrolmentPageState {
  secret: string;
  /** The QR code as SVG markup, made on the server by the qrcode package from our own data. */
  qrSvg: string;
  isRequiredForAdmin?: boolean;
  error?: string;
}

/** Setup: the QR code and the key in text, then the first code to prove the app has it. */
export function twoFactorEnrolmentPage(page: PageContext, state: EnrolmentPageState): SafeHtml {
  const m = twoFactorMessages(page.lang);
  const grouped = state.secret.match(/.{1,4}/g)?.join(' ') ?? state.secret;
  return layout(page, {
    title: m.title,
    narrow: true,
    body: html`<h1>${m.title}</h1>
    ${state.isRequiredForAdmin ? notice('info', m.adminRequired) : ''}
    <section class="card stack">
      <p>${m.intro}</p>
      ${state.error ? notice('error', state.error) : ''}
      <p>${m.scan}</p>
      <div class="qr-code" role="img" aria-label="${m.qrLabel}">${raw(state.qrSvg)}</div>
      <p class="muted">${m.orType}</p>
      <p><span class="muted">${m.secretLabel}:</span> <code class="mono secret-key" id="two-factor-secret" data-secret="${state.secret}">${grouped}</code></p>
      <form method="post" action="/account/two-factor/confirm" class="stack">
        ${csrfField(page)}
        ${field({
          id: 'code',
          label: m.confirmLabel,
          hint: m.confirmHint,
          input: html`<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9 ]*" autocomplete="one-time-code" required maxlength="10" aria-describedby="code-hint" class="mono">`,
        })}
        <button type="submit" class="button button-primary">${m.confirmButton}</button>
      </form>
    </section>`,
  });
}

/** Shown once, right after the second factor is turned on or the codes are made anew. */
export function recoveryCodesPage(
  page: PageContext,
  codes: readonly string[],
  options: { isRegenerated?: boolean } = {},
): SafeHtml {
  const m = twoFactorMessages(page.lang);
  return layout(page, {
    title: m.recoveryTitle,
    narrow: true,
    body: html`<h1>${m.title}</h1>
    ${notice('success', options.isRegenerated ? m.regenerated : m.enabled)}
    <section class="card stack">
      <h2>${m.recoveryTitle}</h2>
      <p>${m.recoveryIntro}</p>
      <ul class="recovery-codes mono">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
      <p><a class="button button-primary" href="/account">${m.recoveryDone}</a></p>
    </section>`,
  });
}

export interface TwoFactorOnPageState {
  recoveryCodesLeft: number;
  error?: string;
  /** The form the error answers. */
  errorForm?: TwoFactorForm;
}

export type TwoFactorForm = 'disable' | 'regenerate';

/** Password and a code: both factors, for a change to the second factor itself. */
function bothFactorsForm(page: PageContext, form: TwoFactorForm, button: SafeHtml): SafeHtml {
  const m = twoFactorMessages(page.lang);
  return html`<form method="post" action="/account/two-factor/${form === 'disable' ? 'disable' : 'recovery-codes'}" class="stack">
        ${csrfField(page)}
        ${field({
          id: `${form}-password`,
          label: page.t.auth.password,
          input: html`<input id="${form}-password" name="password" type="password" required autocomplete="current-password" maxlength="256">`,
        })}
        ${field({
          id: `${form}-code`,
          label: m.codeLabel,
          hint: m.codeHint,
          input: html`<input id="${form}-code" name="code" type="text" autocomplete="one-time-code" required maxlength="40" aria-describedby="${form}-code-hint" class="mono">`,
        })}
        ${button}
      </form>`;
}

/** The second factor is on: recovery codes left and the way to new ones, and the form to turn it off. */
export function twoFactorOnPage(page: PageContext, state: TwoFactorOnPageState): SafeHtml {
  const m = twoFactorMessages(page.lang);
  const errorFor = (form: TwoFactorForm) =>
    state.error && (state.errorForm ?? 'disable') === form ? notice('error', state.error) : '';
  return layout(page, {
    title: m.title,
    narrow: true,
    body: html`<h1>${m.title}</h1>
    <section class="card stack">
      <p>${m.isOn}</p>
      <p class="muted">${m.recoveryLeft(state.recoveryCodesLeft)}</p>
    </section>
    <section class="card stack" id="recovery-codes">
      <h2>${m.regenerateTitle}</h2>
      <p class="muted">${m.regenerateIntro}</p>
      ${errorFor('regenerate')}
      ${bothFactorsForm(page, 'regenerate', html`<button type="submit" class="button">${m.regenerateButton}</button>`)}
    </section>
    <section class="card stack">
      <h2>${m.disableTitle}</h2>
      <p class="muted">${m.disableIntro}</p>
      ${errorFor('disable')}
      ${bothFactorsForm(page, 'disable', html`<button type="submit" class="button button-danger">${m.disableButton}</button>`)}
    </section>`,
  });
}

/** The account page's card: whether the second factor is on, and the way to its page. */
export function twoFactorCard(page: PageContext, isOn: boolean): SafeHtml {
  const m = twoFactorMessages(page.lang);
  return html`<section class="card" id="two-factor">
    <h2>${m.title}</h2>
    <p class="muted">${isOn ? m.isOn : m.isOff}</p>
    <p><a class="button${isOn ? '' : ' button-primary'}" href="/account/two-factor">${isOn ? m.manage : m.setUp}</a></p>
  </section>`;
}
