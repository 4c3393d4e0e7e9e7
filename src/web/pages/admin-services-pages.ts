import type { ProviderView } from '../../app/add-provider.js';
import type { ServiceRow } from '../../app/list-all-services.js';
import { LINK_TYPES } from '../../domain/link-types.js';
import { csrfField, field } from '../components.js';
import { attr, html, type SafeHtml } from '../html.js';
import { categoryName } from '../i18n/categories.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, backendLabel, type Flash, tableOrEmpty } from './admin-common.js';

function activeBadge(page: PageContext, isActive: boolean): SafeHtml {
  const m = am(page).services;
  return html`<span class="badge ${isActive ? 'badge-Completed' : 'badge-Canceled'}">${isActive ? m.active : m.inactive}</span>`;
}

function toggleForm(page: PageContext, service: ServiceRow): SafeHtml {
  const m = am(page).services;
  const isActive = service.is_active === 1;
  return html`<form method="post" action="/admin/services/${service.id}/active" class="inline-form">
    ${csrfField(page)}<input type="hidden" name="active" value="${isActive ? '0' : '1'}">
    <button type="submit" class="button button-small${isActive ? '' : ' button-primary'}">${isActive ? m.deactivate : m.activate}</button>
  </form>`;
}

export function adminServicesPage(
  page: PageContext,
  services: ServiceRow[],
  options: { flash?: Flash } = {},
): SafeHtml {
  const { t, lang } = page;
  const m = am(page).services;
  const rows = services.map(
    (s) => html`<tr data-service-id="${s.id}">
      <td data-label="${m.id}" class="nowrap"><a href="/admin/services/${s.id}">#${s.id}</a></td>
      <td data-label="${m.name}"><a href="/admin/services/${s.id}">${s.name}</a></td>
      <td data-label="${m.category}">${categoryName(page.lang, s.category)}</td>
      <td data-label="${m.linkType}" class="nowrap">${wordOf(t.orders.linkTypes, s.link_type)}</td>
      <td data-label="${m.rateShort}" class="num nowrap">${formatMoney(lang, Number(s.rate_units))}</td>
      <td data-label="${m.limits}" class="num nowrap">${formatInteger(lang, Number(s.min_quantity))} – ${formatInteger(lang, Number(s.max_quantity))}</td>
      <td data-label="${m.backend}">${backendLabel(page, s.backend)}</td>
      <td data-label="${m.active}"><div class="row-actions">${activeBadge(page, s.is_active === 1)}${toggleForm(page, s)}</div></td>
    </tr>`,
  );
  return adminLayout(page, {
    section: 'services',
    title: m.title,
    ...(options.flash ? { flash: options.flash } : {}),
    actions: html`<a class="button button-primary" href="/admin/services/new">${m.add}</a>`,
    body: html`<section class="card">${tableOrEmpty(
      services,
      m.empty,
      () => html`<div class="table-wrap"><table class="responsive">
      <thead><tr><th scope="col">${m.id}</th><th scope="col">${m.name}</th><th scope="col">${m.category}</th><th scope="col">${m.linkType}</th>
        <th scope="col" class="num">${m.rateShort}</th><th scope="col" class="num">${m.limits}</th><th scope="col">${m.backend}</th>
        <th scope="col">${m.active}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>`,
    )}</section>`,
  });
}

/** The form's fields as text, so a refused form comes back exactly as typed. */
export interface ServiceFormState {
  id: string;
  name: string;
  category: string;
  type: string;
  linkType: string;
  rate: string;
  min: string;
  max: string;
  canCancel: boolean;
  isActive: boolean;
  backend: string;
  isDripfeed: boolean;
  descriptionIt: string;
  descriptionEn: string;
  /** Our cost per 1,000 units when we deliver the service ourselves; empty for unknown. */
  cost: string;
}

function select(id: string, value: string, options: { value: string; label: string }[]): SafeHtml {
  return html`<select id="${id}" name="${id}">${options.map(
    (o) => html`<option value="${o.value}"${attr('selected', o.value === value)}>${o.label}</option>`,
  )}</select>`;
}

function checkbox(id: string, label: string, checked: boolean): SafeHtml {
  return html`<div class="field checkbox"><label><input type="checkbox" id="${id}" name="${id}" value="1"${attr('checked', checked)}> ${label}</label></div>`;
}

/** The operator's description for customers, in one language (issue 11). */
function description(id: string, label: string, value: string, hint: string): SafeHtml {
  return html`<div class="form-wide">${field({
    id,
    label,
    hint,
    input: html`<textarea id="${id}" name="${id}" rows="3" maxlength="1000" aria-describedby="${id}-hint">${value}</textarea>`,
  })}</div>`;
}

export function adminServiceFormPage(
  page: PageContext,
  options: { serviceId?: number; state: ServiceFormState; providers: ProviderView[]; flash?: Flash },
): SafeHtml {
  const { t } = page;
  const m = am(page).services;
  const { state, serviceId } = options;
  const isNew = serviceId === undefined;
  const backends = [
    { value: 'operator', label: backendLabel(page, 'operator') },
    { value: 'simulator', label: backendLabel(page, 'simulator') },
    ...options.providers.map((p) => ({ value: p.backend, label: p.backend })),
  ];
  if (!backends.some((b) => b.value === state.backend))
    backends.push({ value: state.backend, label: state.backend });
  const text = (
    id: keyof ServiceFormState,
    label: string,
    extra: { hint?: string; inputmode?: string } = {},
  ) =>
    field({
      id,
      label,
      ...(extra.hint ? { hint: extra.hint } : {}),
      input: html`<input id="${id}" name="${id}" type="text" value="${String(state[id])}"${extra.inputmode ? html` inputmode="${extra.inputmode}"` : ''}${
        extra.hint ? html` aria-describedby="${id}-hint"` : ''
      }${id === 'id' || id === 'cost' ? '' : html` required`}>`,
    });
  return adminLayout(page, {
    section: 'services',
    title: isNew ? m.newTitle : m.editTitle(serviceId),
    ...(options.flash ? { flash: options.flash } : {}),
    body: html`<section class="card">
      <form method="post" action="${isNew ? '/admin/services' : `/admin/services/${serviceId}`}" class="form-grid">
        ${csrfField(page)}
        ${isNew ? text('id', m.id, { hint: m.idHint, inputmode: 'numeric' }) : ''}
        ${text('name', m.name)}
        ${text('category', m.category)}
        ${field({
          id: 'type',
          label: m.type,
          input: select('type', state.type, [
            { value: 'Default', label: m.types.Default },
            { value: 'Custom Comments', label: m.types['Custom Comments'] },
          ]),
        })}
        ${field({
          id: 'linkType',
          label: m.linkType,
          input: select(
            'linkType',
            state.linkType,
            LINK_TYPES.map((l) => ({ value: l, label: wordOf(t.orders.linkTypes, l) })),
          ),
        })}
        ${text('rate', m.rate, { inputmode: 'decimal' })}
        ${text('min', m.min, { inputmode: 'numeric' })}
        ${text('max', m.max, { inputmode: 'numeric' })}
        ${field({ id: 'backend', label: m.backend, input: select('backend', state.backend, backends) })}
        ${description('descriptionIt', m.descriptionIt, state.descriptionIt, m.descriptionHint)}
        ${description('descriptionEn', m.descriptionEn, state.descriptionEn, m.descriptionHint)}
        ${text('cost', m.cost, { inputmode: 'decimal' })}
        ${checkbox('canCancel', m.canCancel, state.canCancel)}
        ${checkbox('isActive', m.active, state.isActive)}
        ${checkbox('isDripfeed', m.dripfeed, state.isDripfeed)}
        <div class="actions form-wide"><button type="submit" class="button button-primary">${isNew ? m.create : m.save}</button>
          <a class="button" href="/admin/services">${t.common.back}</a></div>
      </form>
    </section>`,
  });
}
