import type { ProviderSyncView } from '../../app/list-provider-syncs.js';
import { formatUnits } from '../../domain/money.js';
import { csrfField, field } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { adminReportsMessages } from '../i18n/admin-reports.js';
import { formatDateTime, formatMoney } from '../i18n/format.js';
import type { PageContext } from '../page-context.js';

/** 1250 basis points as "12.5", 1_000_000 micros as "1": the figures as the operator typed them. */
function scaled(value: number, scale: number): string {
  const digits = String(scale).length - 1;
  const whole = Math.floor(value / scale);
  const fraction = String(value % scale)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

function changeSentence(page: PageContext, change: ProviderSyncView['changes'][number]): string {
  const words = adminReportsMessages(page.lang).sync.changes;
  switch (change.kind) {
    case 'paused_margin':
      return words.paused_margin(change.serviceName, change.upstreamRate);
    case 'repriced':
      return words.repriced(change.serviceName, formatMoney(page.lang, change.rateUnitsAfter));
    case 'rate_changed':
      return words.rate_changed(change.serviceName, change.upstreamRate);
    case 'gone':
      return words.gone(change.serviceName);
  }
}

function status(page: PageContext, sync: ProviderSyncView): SafeHtml {
  const m = adminReportsMessages(page.lang).sync;
  const last = sync.lastSyncAt === null ? m.never : m.lastAt(formatDateTime(page.lang, sync.lastSyncAt));
  return html`<p class="small">${last}
    ${sync.failure ? html` · <span class="badge badge-error" data-testid="sync-unreachable">${m.unreachable}</span>` : ''}
    ${sync.isBalanceLow ? html` · <span class="badge badge-warning" data-testid="sync-balance-low">${m.balanceLow(`${sync.balance ?? ''} ${sync.currency ?? ''}`)}</span>` : ''}</p>
    ${
      sync.changes.length === 0
        ? html`<p class="muted small">${sync.lastSyncAt === null ? '' : m.noChanges}</p>`
        : html`<ul class="small" data-testid="sync-changes">${sync.changes.map((c) => html`<li>${changeSentence(page, c)}</li>`)}</ul>`
    }`;
}

function settingsForm(page: PageContext, sync: ProviderSyncView): SafeHtml {
  const m = adminReportsMessages(page.lang).sync;
  const id = (name: string) => `${name}-${sync.name}`;
  const input = (name: string, label: string, value: string) =>
    field({
      id: id(name),
      label,
      input: html`<input id="${id(name)}" name="${name}" type="text" inputmode="decimal" value="${value}">`,
    });
  const choice = (value: 'pause' | 'reprice', label: string) =>
    html`<option value="${value}"${sync.onLowMargin === value ? html` selected` : ''}>${label}</option>`;
  return html`<form method="post" action="/admin/providers/${encodeURIComponent(sync.name)}/settings" class="form-grid">
    ${csrfField(page)}
    ${input('markup', m.markup, scaled(sync.markupBasisPoints, 100))}
    ${input('marginFloor', m.marginFloor, scaled(sync.marginFloorBasisPoints, 100))}
    ${field({ id: id('onLowMargin'), label: m.onLowMargin, input: html`<select id="${id('onLowMargin')}" name="onLowMargin">${choice('pause', m.pause)}${choice('reprice', m.reprice)}</select>` })}
    ${input('eurRate', m.eurRate, scaled(sync.eurRateMicros, 1_000_000))}
    ${input('lowBalance', m.lowBalance, sync.lowBalanceUnits === null ? '' : formatUnits(sync.lowBalanceUnits))}
    <div class="actions form-wide"><button type="submit" class="button button-primary">${m.save}</button></div>
  </form>
  <form method="post" action="/admin/providers/${encodeURIComponent(sync.name)}/sync" class="inline-form">
    ${csrfField(page)}<button type="submit" class="button button-small">${m.syncNow}</button>
  </form>`;
}

/** Each provider's last sync; on the providers page also its terms and a "sync now". */
export function providerSyncSection(
  page: PageContext,
  syncs: ProviderSyncView[],
  options: { withSettings: boolean },
): SafeHtml {
  const m = adminReportsMessages(page.lang).sync;
  if (syncs.length === 0) return html``;
  return html`<section class="card" aria-labelledby="provider-sync-title" data-testid="provider-sync">
    <h2 id="provider-sync-title">${m.title}</h2>
    ${syncs.map(
      (sync) => html`<div class="provider-sync" data-provider-sync="${sync.name}">
        <h3>${sync.name}</h3>${status(page, sync)}
        ${options.withSettings ? html`<details><summary>${m.settingsTitle}</summary>${settingsForm(page, sync)}</details>` : ''}
      </div>`,
    )}
  </section>`;
}
