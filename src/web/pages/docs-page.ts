import type { PricedService } from '../../app/list-services.js';
import type { BandTiming } from '../../domain/service-timing.js';
import { codeBlock, copyable } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { apiProfileMessages } from '../i18n/api-profile.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { docsExamples } from './docs-examples.js';
import {
  catalogSection,
  discountsSection,
  docsTable,
  errorsSection,
  linkTypesSection,
  prose,
  refundsSection,
  statusesSection,
  testLinksSection,
} from './docs-reference.js';
import { type DocsText, docsTextEn } from './docs-text-en.js';
import { docsTextIt } from './docs-text-it.js';

const code = (text: string) => html`<code>${text}</code>`;

function example(page: PageContext, title: string, text: string): SafeHtml {
  return html`<p class="example-title">${prose(title)}</p>${codeBlock(page, text, title)}`;
}

function actionsSections(page: PageContext, d: DocsText, x: ReturnType<typeof docsExamples>): SafeHtml {
  const a = d.add;
  return html`<section id="action-services"><h2><code>action=services</code></h2><p>${prose(d.services.lead)}</p>
      ${example(page, d.request, x.servicesRequest)}${example(page, d.response, x.servicesResponse)}
      <p>${prose(d.services.description)}</p></section>
    <section id="action-balance"><h2><code>action=balance</code></h2><p>${prose(d.balance.lead)}</p>
      ${example(page, d.request, x.balanceRequest)}${example(page, d.response, x.balanceResponse)}</section>
    <section id="action-add"><h2><code>action=add</code></h2><p>${prose(a.lead)}</p>
      ${docsTable(
        [d.params.parameter, a.required, d.params.description],
        [
          [code('service'), a.yes, a.service],
          [code('link'), a.yes, a.link],
          [code('quantity'), a.yes, a.quantity],
          [code('runs'), a.no, a.runs],
          [code('interval'), a.no, a.interval],
        ],
        'params',
      )}
      <h3>${a.smmExample}</h3>
      ${example(page, d.request, x.addRequest)}${example(page, a.success, x.addResponse)}
      ${example(page, a.insufficient, x.addInsufficient)}${example(page, a.wrongLink, x.addWrongLink)}
      <h3>${a.usernameExample}</h3>
      ${example(page, d.request, x.addUsernameRequest)}${example(page, a.success, x.addUsernameResponse)}
      <p>${prose(a.usernameNote)}</p>
      <h3>${a.commentsExample}</h3>
      ${example(page, d.request, x.addCommentsRequest)}<p>${prose(a.commentsNote)}</p>${codeBlock(page, x.addCommentsMismatch)}
      <h3 id="dripfeed">${a.dripfeedTitle}</h3>
      ${example(page, d.request, x.addDripfeedRequest)}${example(page, a.success, x.addDripfeedResponse)}
      <p>${prose(a.dripfeedNote)}</p><p>${a.dripfeedErrors}</p>${codeBlock(page, x.addDripfeedErrors)}
      <h3>${a.idempotencyTitle}</h3><p>${prose(a.idempotencyNote)}</p>${codeBlock(page, x.idempotency, a.idempotencyTitle)}
    </section>
    <section id="action-status"><h2><code>action=status</code></h2><p>${prose(d.status.lead)}</p>
      <h3>${d.status.single}</h3>${example(page, d.request, x.statusRequest)}${example(page, d.response, x.statusResponse)}
      <h3>${d.status.batch}</h3>${example(page, d.request, x.statusBatchRequest)}${example(page, d.response, x.statusBatchResponse)}
      <p>${prose(d.status.note)}</p></section>
    <section id="action-cancel"><h2><code>action=cancel</code></h2><p>${prose(d.cancel.lead)}</p>
      <h3>${d.cancel.single}</h3>${example(page, d.request, x.cancelRequest)}${example(page, d.response, x.cancelResponse)}
      ${example(page, d.cancel.refused, x.cancelRefused)}
      <h3>${d.cancel.batch}</h3>${example(page, d.request, x.cancelBatchRequest)}${example(page, d.response, x.cancelBatchResponse)}
      <p>${prose(d.cancel.note)}</p></section>`;
}

/** contract §13: GET and HEAD, ids as data, and the two profiles side by side. */
function profilesSection(page: PageContext, d: DocsText, x: ReturnType<typeof docsExamples>): SafeHtml {
  const p = d.profiles;
  return html`<section id="profiles"><h2>${p.title}</h2><p>${prose(p.methods)}</p>
    ${codeBlock(page, x.getRequest, 'GET')}${codeBlock(page, x.headRequest, 'HEAD')}<p>${prose(p.ids)}</p>
    <p>${prose(p.lead)}</p>
    ${docsTable(
      [p.answer, 'inspiria', 'perfectpanel'],
      [
        ['`cancel`', p.cancelAsInspiria, p.cancelAsPerfectPanel],
        [p.errorOrder, code(p.errorAsInspiria), p.errorAsPerfectPanel],
        [p.unknownInBatch, code('{"error": "Order not found"}'), code('{"error": "Incorrect order ID"}')],
      ],
    )}
    ${example(page, `perfectpanel: action=cancel`, x.perfectPanelCancel)}
    <p class="notice notice-info">${apiProfileMessages(page.lang).whenToChoose}</p></section>`;
}

function integrationSection(page: PageContext, d: DocsText, baseUrl: string, howItWorks: string): SafeHtml {
  const g = d.integration;
  const steps = (list: readonly string[]) => list.map((text, i) => [String(i + 1), text] as const);
  const actions = ['services', 'add', 'status', 'cancel', 'balance', 'refill'];
  return html`<section id="integration"><h2>${g.title}</h2><p>${prose(g.lead)}</p>
    <h3>${g.need}</h3>
    ${docsTable(
      [g.need, ''],
      [
        [g.apiUrl, html`<span class="mono">${baseUrl}</span>`],
        [g.apiKey, g.apiKeyValue],
      ],
    )}
    <h3>${g.perfectPanel}</h3>${docsTable([g.step, g.action], steps(g.pp))}
    <h3>${g.others}</h3><p>${prose(g.othersLead)}</p>${docsTable([g.step, g.action], steps(g.op))}
    <h3>${g.how}</h3>${codeBlock(page, howItWorks, g.how)}<p>${prose(g.howText)}</p>
    <p class="notice notice-info">${prose(g.tip)}</p>
    <h3>${g.supported}</h3>
    ${docsTable(
      [g.action, g.supportedCol, g.notes],
      actions.map((name) => [code(name), name === 'refill' ? g.no : g.yes, wordOf(g.actionNotes, name)]),
    )}</section>`;
}

function tableOfContents(d: DocsText): SafeHtml {
  const entries: [string, string][] = [
    ['intro', d.intro.title],
    ['auth', d.auth.title],
    ['params', d.params.title],
    ['action-services', '`services`'],
    ['action-balance', '`balance`'],
    ['action-add', '`add`'],
    ['action-status', '`status`'],
    ['action-cancel', '`cancel`'],
    ['profiles', d.profiles.title],
    ['link-types', d.linkTypes.title],
    ['refunds', d.refunds.title],
    ['statuses', d.statuses.title],
    ['errors', d.errors.title],
    ['discounts', d.discounts.title],
    ['integration', d.integration.title],
    ['catalog', d.catalog.title],
    ['test-links', d.testLinks.title],
  ];
  return html`<nav class="docs-toc card" aria-label="${d.toc}"><p class="stat-label">${prose(d.toc)}</p>
    <ul>${entries.map(([id, label]) => html`<li><a href="#${id}">${prose(label)}</a></li>`)}</ul></nav>`;
}

/** The API documentation: the provider's page, the contract's Link Types, the live catalog. */
export function docsPage(
  page: PageContext,
  options: { baseUrl: string; services: PricedService[]; timings: ReadonlyMap<number, BandTiming[]> },
): SafeHtml {
  const d = page.lang === 'it' ? docsTextIt : docsTextEn;
  const x = docsExamples(options.baseUrl);
  const p = d.params;
  return layout(page, {
    title: d.title,
    body: html`<h1>${d.title}</h1>
    <div class="docs-layout">
      ${tableOfContents(d)}
      <div class="docs-content">
        <section id="intro"><h2>${d.intro.title}</h2><p>${prose(d.intro.panel)}</p><p>${prose(d.intro.text)}</p>
          <div class="field"><label for="docs-base-url">${d.intro.baseUrl}</label>${copyable(page, options.baseUrl, { id: 'docs-base-url', label: d.intro.baseUrl })}</div>
          <p>${prose(d.intro.keyWhere)}</p></section>
        <section id="auth"><h2>${d.auth.title}</h2><p>${prose(d.auth.lead)}</p>
          ${example(page, d.auth.body, x.authBody)}${example(page, d.auth.header, x.authHeader)}${example(page, d.auth.query, x.authQuery)}
          <p>${prose(d.auth.missing)}</p><p>${prose(d.auth.curl)}</p>${codeBlock(page, x.curl, 'curl')}</section>
        <section id="params"><h2>${p.title}</h2>
          ${docsTable(
            [p.parameter, p.type, p.description],
            [
              [code('key'), 'string', p.key],
              [code('action'), 'string', p.action],
            ],
            'params',
          )}
          <p>${prose(p.numbers)}</p></section>
        ${actionsSections(page, d, x)}
        ${profilesSection(page, d, x)}
        ${linkTypesSection(d)}
        ${refundsSection(d)}
        ${statusesSection(page, d, x.statusFlow)}
        ${errorsSection(d)}
        ${discountsSection(page, d)}
        ${integrationSection(page, d, options.baseUrl, x.howItWorks)}
        ${catalogSection(page, d, options.services, options.timings)}
        ${testLinksSection(page, d)}
      </div>
    </div>`,
  });
}
