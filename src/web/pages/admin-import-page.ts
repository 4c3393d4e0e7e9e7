import type { ServiceRow } from '../../app/list-all-services.js';
import type { ImportPreview } from '../../app/preview-provider-import.js';
import type { CatalogDifference, CatalogEntry, GoneService } from '../../app/provider-catalog.js';
import { LINK_TYPES } from '../../domain/link-types.js';
import { csrfField } from '../components.js';
import { attr, html, type SafeHtml } from '../html.js';
import { type AdminImportMessages, adminImportMessages } from '../i18n/admin-import.js';
import { categoryName } from '../i18n/categories.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, type Flash, tableOrEmpty } from './admin-common.js';

const mi = (page: PageContext): AdminImportMessages => adminImportMessages(page.lang);

/** 1250 basis points as "12.5": the markup as the operator typed it. */
export function markupText(basisPoints: number): string {
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction === ''
    ? String(Math.floor(basisPoints / 100))
    : `${Math.floor(basisPoints / 100)}.${fraction}`;
}

const base = (provider: string) => `/admin/providers/${encodeURIComponent(provider)}`;

function limitsText(page: PageContext, min: number, max: number): string {
  return `${formatInteger(page.lang, min)} – ${formatInteger(page.lang, max)}`;
}

function entryRow(page: PageContext, preview: ImportPreview, entry: CatalogEntry, group: string): SafeHtml {
  const m = mi(page);
  const id = `pick-${entry.upstreamId}`;
  const isImported = entry.importedServiceId !== null;
  const flags = [entry.isDripfeed ? m.dripfeed : '', entry.isRefill ? m.refill : '']
    .filter(Boolean)
    .join(', ');
  return html`<tr data-upstream-id="${entry.upstreamId}">
    <td data-label="${m.choose}">${
      isImported
        ? html`<span class="badge badge-Completed">${m.imported(entry.importedServiceId ?? 0)}</span>`
        : html`<input type="checkbox" id="${id}" name="service" value="${entry.upstreamId}" data-group="${group}" aria-label="${entry.name}">`
    }</td>
    <td data-label="${m.upstreamId}" class="mono">${entry.upstreamId}</td>
    <td data-label="${m.name}" class="wrap-anywhere">${isImported ? entry.name : html`<label for="${id}">${entry.name}</label>`}</td>
    <td data-label="${m.upstreamRate}" class="num nowrap">${entry.upstreamRate}${preview.currency ? ` ${preview.currency}` : ''}</td>
    <td data-label="${m.ourRate}" class="num nowrap">${formatMoney(page.lang, entry.ourRateUnits)}</td>
    <td data-label="${m.limits}" class="num nowrap">${limitsText(page, entry.min, entry.max)}</td>
    <td data-label="${m.flags}">${flags || '–'}</td>
  </tr>`;
}

/** The catalog, one table per category, each with a "select all" of its own (app.js). */
function catalogSection(page: PageContext, preview: ImportPreview, confirm: SafeHtml): SafeHtml {
  const m = mi(page);
  const categories = new Map<string, CatalogEntry[]>();
  for (const entry of preview.entries) {
    categories.set(entry.category, [...(categories.get(entry.category) ?? []), entry]);
  }
  const tables = [...categories.entries()].map(([category, entries], index) => {
    const group = `category-${index + 1}`;
    const name = categoryName(page.lang, category);
    const selectable = entries.some((e) => e.importedServiceId === null);
    return html`<div class="import-category" data-testid="import-category">
      <h3>${name}</h3>
      ${selectable ? html`<p class="field checkbox small"><label><input type="checkbox" data-select-all="${group}"> ${m.selectAll(name)}</label></p>` : ''}
      <div class="table-wrap"><table class="responsive">
        <thead><tr><th scope="col">${m.choose}</th><th scope="col">${m.upstreamId}</th><th scope="col">${m.name}</th>
          <th scope="col" class="num">${m.upstreamRate}</th><th scope="col" class="num">${m.ourRate}</th>
          <th scope="col" class="num">${m.limits}</th><th scope="col">${m.flags}</th></tr></thead>
        <tbody>${entries.map((entry) => entryRow(page, preview, entry, group))}</tbody></table></div>
    </div>`;
  });
  return html`<section class="card" aria-labelledby="import-catalog-title" data-testid="import-catalog">
    <h2 id="import-catalog-title">${m.catalogTitle}</h2>
    ${preview.entries.length === 0 ? html`<p class="muted">${m.catalogEmpty}</p>` : tables}
    ${preview.leftOut > 0 ? html`<p class="muted small">${m.leftOut(formatInteger(page.lang, preview.leftOut))}</p>` : ''}
    ${confirm}
  </section>`;
}

function differenceLines(page: PageContext, preview: ImportPreview, d: CatalogDifference): SafeHtml {
  const m = mi(page);
  const currency = preview.currency ? ` ${preview.currency}` : '';
  const lines: string[] = [];
  if (d.rate) {
    const from = d.rate.upstreamFrom === null ? m.unknown : `${d.rate.upstreamFrom}${currency}`;
    const ourFrom = formatMoney(page.lang, d.rate.ourFromUnits);
    lines.push(
      m.rateChange(
        from,
        `${d.rate.upstreamTo}${currency}`,
        ourFrom,
        formatMoney(page.lang, d.rate.ourToUnits),
      ),
    );
  }
  if (d.name) lines.push(m.nameChange(d.name.from, d.name.to));
  if (d.limits) {
    const { minFrom, maxFrom, minTo, maxTo } = d.limits;
    lines.push(m.limitsChange(limitsText(page, minFrom, maxFrom), limitsText(page, minTo, maxTo)));
  }
  return html`<div>${lines.map((line) => html`<div>${line}</div>`)}</div>`;
}

function differencesSection(page: PageContext, preview: ImportPreview): SafeHtml {
  const m = mi(page);
  if (preview.differences.length === 0) return html``;
  const rows = preview.differences.map(
    (d) => html`<tr data-service-id="${d.serviceId}">
      <td data-label="${m.apply}"><input type="checkbox" name="apply" value="${d.upstreamId}" id="apply-${d.upstreamId}" aria-label="${m.apply}: ${d.ourName}"></td>
      <td data-label="${m.service}" class="wrap-anywhere"><span><a href="/admin/services/${d.serviceId}">#${d.serviceId}</a> ${d.ourName}</span></td>
      <td data-label="${m.change}">${differenceLines(page, preview, d)}</td>
    </tr>`,
  );
  return html`<section class="card" aria-labelledby="import-diff-title" data-testid="import-differences">
    <h2 id="import-diff-title">${m.differencesTitle}</h2>
    <p class="muted">${m.differencesLead}</p>
    <div class="table-wrap"><table class="responsive">
      <thead><tr><th scope="col">${m.apply}</th><th scope="col">${m.service}</th><th scope="col">${m.change}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>
  </section>`;
}

function refusedSection(page: PageContext, preview: ImportPreview): SafeHtml {
  const m = mi(page);
  if (preview.refused.length === 0) return html``;
  const rows = preview.refused.map(
    (r) => html`<tr><td data-label="${m.upstreamId}" class="mono">${r.label}</td>
      <td data-label="${m.name}" class="wrap-anywhere">${r.name}</td>
      <td data-label="${m.reason}">${m.reasons[r.reason]}</td></tr>`,
  );
  return html`<section class="card" aria-labelledby="import-refused-title" data-testid="import-refused">
    <h2 id="import-refused-title">${m.refusedTitle}</h2>
    <p class="muted">${m.refusedLead}</p>
    <div class="table-wrap"><table class="responsive">
      <thead><tr><th scope="col">${m.upstreamId}</th><th scope="col">${m.name}</th><th scope="col">${m.reason}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>
  </section>`;
}

function goneSection(page: PageContext, provider: string, gone: GoneService[]): SafeHtml {
  const m = mi(page);
  if (gone.length === 0) return html``;
  const rows = gone.map(
    (g) => html`<tr data-service-id="${g.serviceId}">
      <td data-label="${m.choose}">${g.isActive ? html`<input type="checkbox" name="service" value="${g.serviceId}" aria-label="${m.pause}: ${g.name}">` : ''}</td>
      <td data-label="${m.service}" class="wrap-anywhere"><span><a href="/admin/services/${g.serviceId}">#${g.serviceId}</a> ${g.name}</span></td>
      <td data-label="${m.status}">${g.isActive ? m.active : m.inactive}</td></tr>`,
  );
  return html`<section class="card" aria-labelledby="import-gone-title" data-testid="import-gone">
    <h2 id="import-gone-title">${m.goneTitle}</h2>
    <p class="muted">${m.goneLead}</p>
    <form method="post" action="${base(provider)}/pause">${csrfField(page)}
      <div class="table-wrap"><table class="responsive">
        <thead><tr><th scope="col">${m.choose}</th><th scope="col">${m.service}</th><th scope="col">${m.status}</th></tr></thead>
        <tbody>${rows}</tbody></table></div>
      ${gone.some((g) => g.isActive) ? html`<div class="actions"><button type="submit" class="button">${m.pause}</button></div>` : ''}
    </form>
  </section>`;
}

function termsSection(page: PageContext, preview: ImportPreview): SafeHtml {
  const m = mi(page);
  const eurRate = String(preview.eurRateMicros / 1_000_000);
  return html`<section class="card">
    <p>${preview.currency ? m.currency(preview.currency) : m.currencyUnknown}
      ${preview.eurRateMicros === 1_000_000 ? '' : m.eurRate(eurRate)}</p>
    <form method="post" action="${base(preview.provider)}/import" class="inline-form import-form">
      ${csrfField(page)}
      <label for="markup">${m.markup}</label>
      <input id="markup" name="markup" type="text" inputmode="decimal" size="6" value="${markupText(preview.markupBasisPoints)}">
      <button type="submit" class="button button-small">${m.refresh}</button>
    </form>
  </section>`;
}

/** The live catalog: what to import, what changed upstream, what is gone, what was refused. */
export function adminImportPreviewPage(
  page: PageContext,
  preview: ImportPreview,
  options: { flash?: Flash } = {},
): SafeHtml {
  const m = mi(page);
  const canConfirm =
    preview.entries.some((e) => e.importedServiceId === null) || preview.differences.length > 0;
  return adminLayout(page, {
    section: 'providers',
    title: m.title(preview.provider),
    actions: html`<a class="button" href="${base(preview.provider)}/imported">${m.awaitingLink}</a>`,
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<p class="muted">${m.lead}</p>
    ${termsSection(page, preview)}
    <form method="post" action="${base(preview.provider)}/import/confirm" data-testid="import-confirm">
      ${csrfField(page)}
      <input type="hidden" name="markup" value="${markupText(preview.markupBasisPoints)}">
      ${differencesSection(page, preview)}
      ${catalogSection(
        page,
        preview,
        canConfirm
          ? html`<div class="actions"><button type="submit" class="button button-primary">${m.confirm}</button></div>`
          : html``,
      )}
    </form>
    ${goneSection(page, preview.provider, preview.gone)}
    ${refusedSection(page, preview)}`,
  });
}

function linkTypeSelect(page: PageContext, service: ServiceRow): SafeHtml {
  const id = `linkType-${service.id}`;
  const options = LINK_TYPES.map(
    (type) =>
      html`<option value="${type}"${attr('selected', service.link_type === type)}>${wordOf(page.t.orders.linkTypes, type)}</option>`,
  );
  return html`<label for="${id}" class="visually-hidden">${mi(page).linkType}: ${service.name}</label>
    <select id="${id}" name="${id}">${options}</select>`;
}

/** The provider's inactive services: a link type to confirm and an activation, one or many. */
export function adminImportedPage(
  page: PageContext,
  provider: string,
  services: ServiceRow[],
  options: { flash?: Flash } = {},
): SafeHtml {
  const m = mi(page);
  const rows = services.map(
    (s) => html`<tr data-service-id="${s.id}">
      <td data-label="${m.choose}"><input type="checkbox" name="service" value="${s.id}" aria-label="${m.choose}: ${s.name}"></td>
      <td data-label="${m.service}" class="wrap-anywhere"><span><a href="/admin/services/${s.id}">#${s.id}</a> ${s.name}</span></td>
      <td data-label="${m.category}">${categoryName(page.lang, s.category)}</td>
      <td data-label="${m.ourRate}" class="num nowrap">${formatMoney(page.lang, Number(s.rate_units))}</td>
      <td data-label="${m.linkType}">${linkTypeSelect(page, s)}</td>
      <td data-label="${m.activate}"><button type="submit" name="only" value="${s.id}" class="button button-small button-primary">${m.activate}</button></td>
    </tr>`,
  );
  return adminLayout(page, {
    section: 'providers',
    title: m.awaitingTitle(provider),
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<p class="muted">${m.awaitingLead}</p>
    <section class="card" data-testid="import-awaiting">${tableOrEmpty(
      services,
      m.awaitingEmpty,
      () => html`<form method="post" action="${base(provider)}/activate">${csrfField(page)}
      <div class="table-wrap"><table class="responsive">
        <thead><tr><th scope="col">${m.choose}</th><th scope="col">${m.service}</th><th scope="col">${m.category}</th>
          <th scope="col" class="num">${m.ourRate}</th><th scope="col">${m.linkType}</th><th scope="col">${m.activate}</th></tr></thead>
        <tbody>${rows}</tbody></table></div>
      <div class="actions"><button type="submit" class="button button-primary">${m.activateSelected}</button></div>
      </form>`,
    )}</section>`,
  });
}
