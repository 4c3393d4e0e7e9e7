import type { PricedService } from '../../app/list-services.js';
import type { OrderPreview } from '../../app/preview-order.js';
import { splitComments } from '../../domain/comments.js';
import { isLinkType, LINK_EXAMPLES } from '../../domain/link-types.js';
import type { BandTiming } from '../../domain/service-timing.js';
import { csrfField, field, money, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { categoryName } from '../i18n/categories.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import { orderPageMessages } from '../i18n/order-page.js';
import { paymentMessages } from '../i18n/payments.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { serviceDescription, timingExplanation, timingFigures } from './service-facts.js';

export interface OrderFormValues {
  serviceId?: number;
  link?: string;
  quantity?: string;
  comments?: string;
  /** Drip-feed, as typed; empty for a single delivery. */
  runs?: string;
  interval?: string;
}

function linkExample(linkType: string): string {
  return isLinkType(linkType) ? LINK_EXAMPLES[linkType] : '';
}

function serviceCard(
  page: PageContext,
  priced: PricedService,
  options: { isSelected: boolean; timings: readonly BandTiming[] },
): SafeHtml {
  const { t, lang } = page;
  const s = priced.service;
  const isDiscounted = priced.rateUnits !== s.rate_units;
  const description = serviceDescription(lang, s);
  const m = orderPageMessages(lang);
  return html`<div class="service-card" data-service-id="${s.id}"${options.isSelected ? '' : html` hidden`}>
    ${description ? html`<p class="service-description">${description}</p>` : ''}
    <dl>
      <dt>${t.orders.pricePer1000}</dt>
      <dd>${formatMoney(lang, priced.rateUnits)}${isDiscounted ? html` <span class="muted small">(${t.orders.basePrice(formatMoney(lang, s.rate_units))})</span>` : ''}</dd>
      <dt>${t.orders.minMax}</dt><dd>${formatInteger(lang, s.min_quantity)} / ${formatInteger(lang, s.max_quantity)}</dd>
      <dt>${t.orders.linkType}</dt><dd>${wordOf(t.orders.linkTypes, s.link_type)}</dd>
      <dt>${t.orders.linkExample}</dt><dd><code>${linkExample(s.link_type)}</code></dd>
      <dt>${m.timing.title}</dt><dd>${timingFigures(page, options.timings)}</dd>
    </dl>
    <p class="muted small">${timingExplanation(page)}</p>
  </div>`;
}

export function orderFormPage(
  page: PageContext,
  services: PricedService[],
  state: {
    values?: OrderFormValues;
    error?: string;
    category?: string;
    isShortOfFunds?: boolean;
    balanceUnits?: number;
    timings?: ReadonlyMap<number, BandTiming[]>;
  },
): SafeHtml {
  const { t } = page;
  const values = state.values ?? {};
  const selected = services.find((p) => p.service.id === values.serviceId)?.service;
  const categories = [...new Set(services.map((p) => p.service.category))];
  const currentCategory = selected?.category ?? state.category ?? '';
  const isComments = selected?.type === 'Custom Comments';
  const isDripfeed = selected?.is_dripfeed === 1 && !isComments;
  const body =
    services.length === 0
      ? notice('info', t.orders.noServices)
      : html`<form method="post" action="/orders/preview" id="order-form" class="card stack" novalidate>
      ${csrfField(page)}
      ${
        state.error
          ? notice(
              'error',
              state.isShortOfFunds
                ? html`${state.error} <a class="notice-action" href="/funds">${paymentMessages(page.lang).nav.funds}</a>`
                : state.error,
            )
          : ''
      }
      ${categoryField(page, categories, currentCategory)}
      ${serviceField(page, services, values.serviceId)}
      <div id="service-details">${services.map((p) =>
        serviceCard(page, p, {
          isSelected: p.service.id === values.serviceId,
          timings: state.timings?.get(p.service.id) ?? [],
        }),
      )}</div>
      ${field({
        id: 'link',
        label: t.orders.link,
        input: html`<input id="link" name="link" type="text" inputmode="url" autocomplete="off" maxlength="2000" required value="${values.link ?? ''}">`,
      })}
      <div id="quantity-field"${isComments ? html` hidden` : ''}>${field({
        id: 'quantity',
        label: t.orders.quantity,
        input: html`<input id="quantity" name="quantity" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="off" value="${values.quantity ?? ''}">`,
      })}</div>
      <div id="comments-field"${isComments ? '' : html` hidden`}>${field({
        id: 'comments',
        label: t.orders.comments,
        hint: t.orders.commentsHint,
        input: html`<textarea id="comments" name="comments" rows="6" aria-describedby="comments-hint">${values.comments ?? ''}</textarea>`,
      })}</div>
      ${dripfeedFields(page, values, isDripfeed)}
      <button type="submit" class="button button-primary">${t.orders.review}</button>
    </form>`;
  const m = orderPageMessages(page.lang);
  const head = html`<div class="page-head"><h1>${t.orders.newTitle}</h1><a class="button" href="/orders/mass">${m.mass.nav}</a></div>
    ${state.balanceUnits === undefined ? '' : html`<p class="order-balance" data-testid="balance">${m.form.balance(formatMoney(page.lang, state.balanceUnits))} <a href="/funds">${paymentMessages(page.lang).nav.funds}</a></p>`}`;
  return layout(page, { title: t.orders.newTitle, body: html`${head}${body}` });
}

function categoryField(page: PageContext, categories: string[], currentCategory: string): SafeHtml {
  const { t } = page;
  return field({
    id: 'category',
    label: t.orders.category,
    input: html`<select id="category" name="category"><option value="">${t.orders.allCategories}</option>${categories.map(
      (c) =>
        html`<option value="${c}"${c === currentCategory ? html` selected` : ''}>${categoryName(page.lang, c)}</option>`,
    )}</select>`,
  });
}

function serviceField(page: PageContext, services: PricedService[], serviceId: number | undefined): SafeHtml {
  const { t } = page;
  return field({
    id: 'service',
    label: t.orders.service,
    input: html`<select id="service" name="service" required><option value="">${t.orders.chooseService}</option>${services.map(
      ({ service: s, rateUnits }) =>
        html`<option value="${s.id}" data-category="${s.category}" data-type="${s.type}" data-dripfeed="${s.is_dripfeed === 1 && s.type === 'Default' ? '1' : '0'}"${s.id === serviceId ? html` selected` : ''}>#${s.id} · ${s.name} · ${formatMoney(page.lang, rateUnits)}</option>`,
    )}</select>`,
  });
}

/** Drip-feed: how many runs and how far apart, enabled only for a service that has it. */
function dripfeedFields(page: PageContext, values: OrderFormValues, isDripfeed: boolean): SafeHtml {
  const { t } = page;
  return html`<fieldset id="dripfeed-field" class="stack"${isDripfeed ? '' : html` hidden`}>
        <legend>${t.orders.dripfeed}</legend>
        <p class="muted small" id="dripfeed-hint">${t.orders.dripfeedHint}</p>
        ${field({
          id: 'runs',
          label: t.orders.runs,
          input: html`<input id="runs" name="runs" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="off" aria-describedby="dripfeed-hint" value="${values.runs ?? ''}"${isDripfeed ? '' : html` disabled`}>`,
        })}
        ${field({
          id: 'interval',
          label: t.orders.interval,
          input: html`<input id="interval" name="interval" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="off" value="${values.interval ?? ''}"${isDripfeed ? '' : html` disabled`}>`,
        })}
      </fieldset>`;
}

/** issue 9: a Custom Comments order is confirmed with the comments it will post, not only their count. */
function commentsSummary(page: PageContext, comments: string | null): SafeHtml | '' {
  if (comments === null) return '';
  const lines = splitComments(comments);
  const m = orderPageMessages(page.lang).form;
  return html`<dt>${m.commentsList(formatInteger(page.lang, lines.length))}</dt>
    <dd><ol class="comment-list" data-testid="comments">${lines.map((c) => html`<li>${c}</li>`)}</ol></dd>`;
}

export function orderConfirmPage(
  page: PageContext,
  preview: OrderPreview,
  form: { values: OrderFormValues; idempotencyKey: string; hasChargeChanged?: boolean },
): SafeHtml {
  const { t, lang } = page;
  const s = preview.service;
  const hidden = (name: string, value: string | undefined) =>
    value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}">`;
  return layout(page, {
    title: t.orders.confirmTitle,
    narrow: true,
    body: html`<h1>${t.orders.confirmTitle}</h1>
    ${form.hasChargeChanged ? notice('error', t.orders.chargeChanged) : ''}
    <section class="card">
      <p class="muted">${t.orders.confirmLead}</p>
      <dl class="confirm-summary">
        <dt>${t.orders.service}</dt><dd>#${s.id} · ${s.name}</dd>
        <dt>${t.orders.link}</dt><dd class="mono">${preview.link}</dd>
        ${
          preview.drip
            ? html`<dt>${t.orders.quantityPerRun}</dt><dd>${formatInteger(lang, preview.quantity)}</dd>
        <dt>${t.orders.schedule}</dt><dd>${t.orders.runsEvery(formatInteger(lang, preview.drip.runs), formatInteger(lang, preview.drip.intervalMinutes))}</dd>
        <dt>${t.orders.totalQuantity}</dt><dd data-testid="total-quantity">${formatInteger(lang, preview.totalQuantity)}</dd>`
            : html`<dt>${t.orders.quantity}</dt><dd>${formatInteger(lang, preview.quantity)}</dd>`
        }
        ${commentsSummary(page, preview.comments)}
        <dt>${t.orders.rate}</dt><dd>${money(page, preview.rateUnits)}</dd>
        <dt>${t.orders.total}</dt><dd class="charge-total" data-testid="charge">${money(page, preview.chargeUnits)}</dd>
        <dt>${t.orders.balanceAfter}</dt><dd>${money(page, preview.balanceUnits - preview.chargeUnits)}</dd>
      </dl>
      <form method="post" action="/orders" class="actions">
        ${csrfField(page)}
        ${hidden('service', String(s.id))}${hidden('link', form.values.link)}
        ${hidden('quantity', form.values.quantity)}${hidden('comments', form.values.comments)}
        ${hidden('runs', form.values.runs || undefined)}${hidden('interval', form.values.interval || undefined)}
        ${hidden('idempotency_key', form.idempotencyKey)}${hidden('expected_charge', String(preview.chargeUnits))}
        <button type="submit" class="button button-primary">${t.orders.place}</button>
        <button type="submit" class="button" formaction="/orders/edit">${t.orders.edit}</button>
      </form>
    </section>`,
  });
}
