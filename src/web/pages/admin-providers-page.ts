import type { ProviderView } from '../../app/add-provider.js';
import type { ProviderSyncView } from '../../app/list-provider-syncs.js';
import { csrfField, field } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, type Flash, tableOrEmpty } from './admin-common.js';
import { providerSyncSection } from './provider-sync-section.js';

export interface ProviderFormState {
  name: string;
  url: string;
}

export function adminProvidersPage(
  page: PageContext,
  providers: ProviderView[],
  options: { flash?: Flash; form?: ProviderFormState; syncs?: ProviderSyncView[] } = {},
): SafeHtml {
  const m = am(page).providers;
  const form = options.form ?? { name: '', url: '' };
  const rows = providers.map(
    (p) => html`<tr data-provider="${p.name}">
      <td data-label="${m.name}"><strong>${p.name}</strong></td>
      <td data-label="${m.url}" class="link-cell mono">${p.url}</td>
      <td data-label="${m.keyShown}" class="mono">${p.key}</td>
      <td data-label="${m.backend}" class="mono">${p.backend}</td>
      <td data-label="${m.actions}">
        <div class="provider-actions">
          <form method="post" action="/admin/providers/${encodeURIComponent(p.name)}/balance" class="inline-form">
            ${csrfField(page)}<button type="submit" class="button button-small">${m.checkBalance}</button>
          </form>
          <form method="post" action="/admin/providers/${encodeURIComponent(p.name)}/import" class="inline-form import-form">
            ${csrfField(page)}
            <label for="markup-${p.name}" class="visually-hidden">${m.markup}</label>
            <input id="markup-${p.name}" name="markup" type="text" inputmode="decimal" required placeholder="${m.markup}" size="6" title="${m.markupHint}">
            <button type="submit" class="button button-small button-primary">${m.import}</button>
          </form>
        </div>
      </td>
    </tr>`,
  );
  return adminLayout(page, {
    section: 'providers',
    title: m.title,
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<p class="muted">${m.lead}</p>
    <section class="card">${tableOrEmpty(
      providers,
      m.empty,
      () => html`<div class="table-wrap"><table class="responsive">
      <thead><tr><th scope="col">${m.name}</th><th scope="col">${m.url}</th><th scope="col">${m.keyShown}</th><th scope="col">${m.backend}</th>
        <th scope="col">${m.actions}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>`,
    )}</section>
    ${providerSyncSection(page, options.syncs ?? [], { withSettings: true })}
    <section class="card" aria-labelledby="provider-add-title">
      <h2 id="provider-add-title">${m.addTitle}</h2>
      <form method="post" action="/admin/providers" class="form-grid" autocomplete="off">
        ${csrfField(page)}
        ${field({ id: 'name', label: m.name, hint: m.nameHint, input: html`<input id="name" name="name" type="text" required maxlength="64" value="${form.name}" aria-describedby="name-hint">` })}
        ${field({ id: 'url', label: m.url, input: html`<input id="url" name="url" type="text" inputmode="url" required maxlength="500" value="${form.url}" placeholder="https://panel.example/api/v2">` })}
        ${field({ id: 'key', label: m.key, hint: m.keyHint, input: html`<input id="key" name="key" type="password" required maxlength="500" aria-describedby="key-hint" autocomplete="new-password">` })}
        <div class="actions form-wide"><button type="submit" class="button button-primary">${m.add}</button></div>
      </form>
    </section>`,
  });
}
