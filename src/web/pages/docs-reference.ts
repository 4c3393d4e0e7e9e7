import type { PricedService } from '../../app/list-services.js';
import { isDripfeedService } from '../../app/place-order.js';
import { DISCOUNT_TIERS } from '../../domain/pricing.js';
import type { BandTiming } from '../../domain/service-timing.js';
import { SIMULATOR_TEST_LINKS } from '../../domain/simulator-test-links.js';
import { codeBlock } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { categoryName } from '../i18n/categories.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import { orderPageMessages } from '../i18n/order-page.js';
import type { PageContext } from '../page-context.js';
import type { DocsText } from './docs-text-en.js';
import { serviceDescription, timingExplanation, timingFigures } from './service-facts.js';

type Row = readonly (string | SafeHtml)[];

/** A table that turns into cards on a phone (the labels come from the header). */
/**
 * Docs prose with its identifiers marked: a `backticked` part (an action, a parameter, an error
 * the API returns word for word) is shown as code, so it reads as a literal and not as an
 * untranslated word.
 */
export function prose(text: string): SafeHtml {
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

export function docsTable(headers: readonly string[], rows: readonly Row[], className = ''): SafeHtml {
  const cellHtml = (cell: Row[number]) => (typeof cell === 'string' ? prose(cell) : cell);
  return html`<div class="table-wrap"><table class="responsive ${className}">
    <thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${row.map((cell, i) => html`<td data-label="${headers[i] ?? ''}">${cellHtml(cell)}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

const code = (text: string) => html`<code>${text}</code>`;

export function linkTypesSection(d: DocsText): SafeHtml {
  const l = d.linkTypes;
  return html`<section id="link-types"><h2>${l.title}</h2><p>${prose(l.lead)}</p>
    ${docsTable(
      [l.type, l.accepted, l.stored, l.error],
      [
        [
          code('post_url'),
          l.postAccepted,
          l.postStored,
          code('This service requires a post URL (e.g. instagram.com/p/...)'),
        ],
        [
          code('reel_url'),
          l.reelAccepted,
          'https://www.instagram.com/reel/CODE/',
          code('This service requires a reel URL (e.g. instagram.com/reel/...)'),
        ],
        [
          code('username'),
          l.usernameAccepted,
          l.usernameStored,
          code('This service requires an Instagram username (e.g. myusername)'),
        ],
      ],
    )}
    <p>${prose(l.rules)}</p><p>${prose(l.which)}</p></section>`;
}

export function refundsSection(d: DocsText): SafeHtml {
  const r = d.refunds;
  return html`<section id="refunds"><h2>${r.title}</h2><p>${prose(r.lead)}</p>
    ${docsTable(
      [r.progress, r.refund, r.statusAfter],
      [
        [r.notStarted, '100%', code('Canceled')],
        [r.half, r.halfRefund, code('Partial')],
        [r.most, '0%', code('Partial')],
      ],
    )}
    <p>${prose(r.failures)}</p></section>`;
}

export function statusesSection(page: PageContext, d: DocsText, flow: string): SafeHtml {
  const s = d.statuses;
  return html`<section id="statuses"><h2>${s.title}</h2><p>${prose(s.lead)}</p>
    ${docsTable(
      [s.status, s.description],
      Object.entries(s.rows).map(([status, text]) => [code(status), text]),
    )}
    <h3>${s.flow}</h3>${codeBlock(page, flow, s.flow)}</section>`;
}

export function errorsSection(d: DocsText): SafeHtml {
  const e = d.errors;
  return html`<section id="errors"><h2>${e.title}</h2>
    ${docsTable(
      [e.http, e.error, e.cause],
      [
        ['200', code('{"error": "..."}'), e.logic],
        ['401', code('Unauthorized'), e.unauthorized],
        ['403', code('Account suspended'), e.suspended],
        ['429', code('Too many requests'), e.rateLimited],
        ['500', code('Internal error'), e.internal],
      ],
    )}
    <h3>${e.common}</h3>
    ${docsTable(
      [e.error, e.whatToDo],
      [
        [
          code('Insufficient balance. Required: €…, Available: €…'),
          html`${e.insufficient} <a href="/funds">${e.insufficientLink}</a>`,
        ],
        [code('Invalid service'), e.invalidService],
        [code('Quantity out of range (min …, max …)'), e.outOfRange],
        [code('Incorrect order ID'), e.incorrectId],
        [code('Cannot cancel: status is …'), e.cannotCancel],
        [code('Invalid action'), e.invalidAction],
        [code('Refill is not supported'), e.refill],
      ],
    )}</section>`;
}

export function discountsSection(page: PageContext, d: DocsText): SafeHtml {
  const v = d.discounts;
  const rows = DISCOUNT_TIERS.map((tier, i) => {
    const next = DISCOUNT_TIERS[i + 1];
    const range = next
      ? `${formatMoney(page.lang, tier.fromUnits)} – ${formatMoney(page.lang, next.fromUnits - 1)}`
      : `${formatMoney(page.lang, tier.fromUnits)} ${v.andMore}`;
    return [range, `${tier.percent}%`, tier.name] as const;
  });
  return html`<section id="discounts"><h2>${v.title}</h2><p>${prose(v.lead)}</p>${docsTable([v.volume, v.discount, v.tier], rows)}</section>`;
}

/** The service's name with the operator's description under it, in the page's language (issue 11). */
function serviceNameCell(page: PageContext, service: PricedService['service']): SafeHtml {
  const description = serviceDescription(page.lang, service);
  return html`${service.name}${description ? html`<span class="service-description small muted">${description}</span>` : ''}`;
}

export function catalogSection(
  page: PageContext,
  d: DocsText,
  services: PricedService[],
  timings: ReadonlyMap<number, BandTiming[]>,
): SafeHtml {
  const c = d.catalog;
  const rows = services.map(({ service: s, rateUnits }) => [
    String(s.id),
    serviceNameCell(page, s),
    categoryName(page.lang, s.category),
    s.type,
    html`<span class="money">${formatMoney(page.lang, rateUnits)}</span>`,
    html`<span class="nowrap">${formatInteger(page.lang, s.min_quantity)} – ${formatInteger(page.lang, s.max_quantity)}</span>`,
    code(s.link_type),
    s.can_cancel === 1 ? '✓' : '—',
    isDripfeedService(s) ? '✓' : '—',
    timingFigures(page, timings.get(s.id) ?? []),
  ]);
  const timingTitle = orderPageMessages(page.lang).timing.title;
  return html`<section id="catalog"><h2>${c.title}</h2><p>${page.account ? c.leadCustomer : c.leadGuest}</p>
    <p class="muted small">${timingExplanation(page)}</p>
    ${
      rows.length === 0
        ? html`<p class="muted">${prose(c.empty)}</p>`
        : docsTable(
            [
              c.id,
              c.name,
              c.category,
              c.type,
              c.rate,
              c.minMax,
              c.linkType,
              c.cancel,
              c.dripfeed,
              timingTitle,
            ],
            rows,
            'catalog-table',
          )
    }</section>`;
}

export function testLinksSection(page: PageContext, d: DocsText): SafeHtml {
  const x = d.testLinks;
  const rows = SIMULATOR_TEST_LINKS.map((test) => [
    code(`${test.prefix}…`),
    html`<span class="mono">${test.example}</span>`,
    code(test.outcome),
    test.description[page.lang],
  ]);
  return html`<section id="test-links"><h2>${x.title}</h2><p>${prose(x.lead)}</p>
    ${rows.length === 0 ? html`<p class="muted">${prose(x.pending)}</p>` : docsTable([x.prefix, x.example, x.outcome, x.what], rows)}</section>`;
}
