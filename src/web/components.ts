import { ORDER_STATUSES } from '../domain/order-lifecycle.js';
import { attr, type HtmlValue, html, type SafeHtml } from './html.js';
import { formatMoney } from './i18n/format.js';
import { wordOf } from './i18n/vocabulary.js';
import type { PageContext } from './page-context.js';

/** The hidden field every POST form carries; the server refuses a POST without it (403). */
export function csrfField(page: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${page.csrfToken}">`;
}

export type NoticeKind = 'info' | 'success' | 'error';

/** A message box; errors are announced to screen readers at once. */
export function notice(kind: NoticeKind, message: HtmlValue): SafeHtml {
  const role = kind === 'error' ? 'alert' : 'status';
  return html`<div class="notice notice-${kind}" role="${role}">${message}</div>`;
}

/** A read-only value with a copy button (assets/app.js fills the clipboard). */
export function copyable(page: PageContext, value: string, options: { id: string; label: string }): SafeHtml {
  return html`<div class="copyable">
    <input id="${options.id}" class="mono" type="text" readonly value="${value}" aria-label="${options.label}">
    <button type="button" class="button button-small" data-copy-target="${options.id}" data-copied-label="${page.t.common.copied}">${page.t.common.copy}</button>
  </div>`;
}

/** A code block with a copy button. */
export function codeBlock(page: PageContext, code: string, label = 'code'): SafeHtml {
  return html`<div class="code-block">
    <button type="button" class="button button-small copy-code" data-copied-label="${page.t.common.copied}" aria-label="${page.t.common.copy} ${label}">${page.t.common.copy}</button>
    <pre><code>${code}</code></pre>
  </div>`;
}

/** A labelled form field. `input` is the control itself, whose id must equal `id`. */
export function field(options: { id: string; label: string; hint?: string; input: SafeHtml }): SafeHtml {
  return html`<div class="field">
    <label for="${options.id}">${options.label}</label>
    ${options.input}
    ${options.hint ? html`<p class="hint" id="${options.id}-hint">${options.hint}</p>` : ''}
  </div>`;
}

/** The order-status filter of the order lists (the customer's and the admin's). */
export function orderStatusField(page: PageContext, options: { label: string; selected: string }): SafeHtml {
  const { t } = page;
  const choices = ORDER_STATUSES.map(
    (s) =>
      html`<option value="${s}"${attr('selected', s === options.selected)}>${wordOf(t.orders.statuses, s)}</option>`,
  );
  return field({
    id: 'status',
    label: options.label,
    input: html`<select id="status" name="status"><option value="">${t.common.all}</option>${choices}</select>`,
  });
}

/** An amount that never wraps mid-number on a phone (issue 9): `white-space: nowrap` in app.css. */
export function money(page: PageContext, units: number): SafeHtml {
  return html`<span class="money">${formatMoney(page.lang, units)}</span>`;
}
