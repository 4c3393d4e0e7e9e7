import type { MassOrderResult } from '../../app/place-mass-order.js';
import type { MassOrderPreview, MassPreviewLine } from '../../app/preview-mass-order.js';
import { MAX_MASS_ORDER_LINES } from '../../domain/mass-order.js';
import { csrfField, field, money, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import { orderPageMessages } from '../i18n/order-page.js';
import { refusalSentence } from '../i18n/refusals.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

function linesField(page: PageContext, text: string): SafeHtml {
  const m = orderPageMessages(page.lang).mass;
  return field({
    id: 'lines',
    label: m.linesLabel,
    hint: m.linesHint,
    input: html`<textarea id="lines" name="lines" rows="10" class="mono" spellcheck="false" autocomplete="off" aria-describedby="lines-hint" data-max-lines="${MAX_MASS_ORDER_LINES}" required>${text}</textarea>`,
  });
}

export function massOrderFormPage(
  page: PageContext,
  state: { text: string; balanceUnits: number; error?: string },
): SafeHtml {
  const m = orderPageMessages(page.lang);
  return layout(page, {
    title: m.mass.title,
    body: html`<div class="page-head"><h1>${m.mass.title}</h1><a class="button" href="/orders/new">${page.t.nav.newOrder}</a></div>
    <form method="post" action="/orders/mass/preview" class="card stack" id="mass-order-form" novalidate>
      ${csrfField(page)}
      ${state.error ? notice('error', state.error) : ''}
      <p class="muted">${m.mass.lead}</p>
      <p class="small" data-testid="balance">${m.form.balance(formatMoney(page.lang, state.balanceUnits))}</p>
      ${linesField(page, state.text)}
      <div class="actions"><button type="submit" class="button button-primary">${m.mass.review}</button></div>
    </form>`,
  });
}

function previewRow(page: PageContext, entry: MassPreviewLine): SafeHtml {
  const m = orderPageMessages(page.lang).mass;
  const { line } = entry;
  return html`<tr data-line="${line.lineNumber}" class="${entry.ok ? 'line-ok' : 'line-refused'}">
    <td data-label="${m.line}" class="nowrap">${line.lineNumber}</td>
    <td data-label="${m.service}">${entry.ok ? html`#${entry.order.service.id} · ${entry.order.service.name}` : line.serviceId === undefined ? '—' : `#${line.serviceId}`}</td>
    <td data-label="${m.link}" class="link-cell mono">${entry.ok ? entry.order.link : (line.link ?? line.text)}</td>
    <td data-label="${m.quantity}" class="num">${entry.ok ? formatInteger(page.lang, entry.order.quantity) : typeof line.quantity === 'number' ? formatInteger(page.lang, line.quantity) : ''}</td>
    <td data-label="${m.outcome}">${
      entry.ok
        ? html`<span class="badge badge-Completed">${m.willPlace}</span> ${money(page, entry.order.chargeUnits)}`
        : html`<span class="refusal">${refusalSentence(entry.refusal, page.lang)}</span>`
    }</td>
  </tr>`;
}

function linesTable(page: PageContext, rows: SafeHtml[]): SafeHtml {
  const m = orderPageMessages(page.lang).mass;
  return html`<div class="table-wrap"><table class="responsive mass-lines">
    <thead><tr><th scope="col">${m.line}</th><th scope="col">${m.service}</th><th scope="col">${m.link}</th>
      <th scope="col" class="num">${m.quantity}</th><th scope="col">${m.outcome}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

/** `LINE:UNITS` pairs: the charge the customer confirms for each line that will be placed. */
function confirmedCharges(preview: MassOrderPreview): string {
  return preview.lines
    .flatMap((entry) => (entry.ok ? [`${entry.line.lineNumber}:${entry.order.chargeUnits}`] : []))
    .join(',');
}

export function massOrderPreviewPage(
  page: PageContext,
  preview: MassOrderPreview,
  form: { text: string; token: string },
): SafeHtml {
  const { lang } = page;
  const m = orderPageMessages(lang).mass;
  const placeable = preview.lines.filter((l) => l.ok).length;
  const refused = preview.lines.length - placeable;
  const whole = (n: number) => formatInteger(lang, n);
  return layout(page, {
    title: m.previewTitle,
    body: html`<h1>${m.previewTitle}</h1>
    <section class="card stack">
      ${linesTable(
        page,
        preview.lines.map((entry) => previewRow(page, entry)),
      )}
      <dl class="confirm-summary">
        <dt>${m.total(whole(placeable))}</dt><dd class="charge-total" data-testid="mass-total">${money(page, preview.totalUnits)}</dd>
        <dt>${m.balance}</dt><dd>${money(page, preview.balanceUnits)}</dd>
        <dt>${m.balanceAfter}</dt><dd>${money(page, preview.balanceUnits - preview.totalUnits)}</dd>
      </dl>
      ${refused > 0 ? notice('info', m.refusedNote(whole(refused))) : ''}
      ${placeable === 0 ? notice('error', m.nothingToPlace) : ''}
      <form method="post" action="/orders/mass" class="actions">
        ${csrfField(page)}
        <input type="hidden" name="lines" value="${form.text}">
        <input type="hidden" name="token" value="${form.token}">
        <input type="hidden" name="charges" value="${confirmedCharges(preview)}">
        ${placeable > 0 ? html`<button type="submit" class="button button-primary">${m.confirm(whole(placeable), formatMoney(lang, preview.totalUnits))}</button>` : ''}
        <button type="submit" class="button" formaction="/orders/mass/edit">${m.edit}</button>
      </form>
    </section>`,
  });
}

export function massOrderResultPage(
  page: PageContext,
  result: MassOrderResult,
  options: { wasAlreadyPlaced: boolean },
): SafeHtml {
  const { lang } = page;
  const m = orderPageMessages(lang).mass;
  const placed = result.lines.filter((l) => l.orderId !== undefined);
  const chargedUnits = placed.reduce((sum, l) => sum + (l.chargeUnits ?? 0), 0);
  const rows = result.lines.map(
    (
      l,
    ) => html`<tr data-line="${l.lineNumber}" class="${l.orderId === undefined ? 'line-refused' : 'line-ok'}">
      <td data-label="${m.line}" class="nowrap">${l.lineNumber}</td>
      <td data-label="${m.link}" class="link-cell mono" colspan="3">${l.text}</td>
      <td data-label="${m.outcome}">${
        l.orderId === undefined
          ? html`<span class="refusal">${l.refusal ? refusalSentence(l.refusal, lang) : ''}</span>`
          : html`<a href="/orders/${l.orderId}" data-order-id="${l.orderId}">${m.placedOrder(l.orderId)}</a> ${money(page, l.chargeUnits ?? 0)}`
      }</td>
    </tr>`,
  );
  const summary = m.summary(
    formatInteger(lang, placed.length),
    formatInteger(lang, result.lines.length - placed.length),
    formatMoney(lang, chargedUnits),
  );
  return layout(page, {
    title: m.resultsTitle,
    body: html`<div class="page-head"><h1>${m.resultsTitle}</h1><a class="button" href="/orders/mass">${m.another}</a></div>
    ${options.wasAlreadyPlaced ? notice('info', m.alreadyPlaced) : ''}
    ${notice(placed.length > 0 ? 'success' : 'error', summary)}
    <section class="card">${linesTable(page, rows)}</section>`,
  });
}
