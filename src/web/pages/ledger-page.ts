import type { LedgerLine } from '../../app/list-customer-ledger.js';
import type { Paged } from '../../app/pagination.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatMoney } from '../i18n/format.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { ledgerNote } from './ledger-note.js';
import { pagination } from './pagination.js';

export function ledgerPage(page: PageContext, result: Paged<LedgerLine>): SafeHtml {
  const { t, lang } = page;
  const rows = result.rows.map(
    (entry) => html`<tr>
      <td data-label="${t.ledger.date}" class="nowrap">${formatDateTime(lang, Number(entry.created_at))}</td>
      <td data-label="${t.ledger.kind}"><span class="badge badge-${entry.kind}">${wordOf(t.ledger.kinds, entry.kind)}</span></td>
      <td data-label="${t.ledger.order}">${entry.order_id === null ? '—' : html`<a href="/orders/${entry.order_id}">#${entry.order_id}</a>`}</td>
      <td data-label="${t.ledger.note}">${ledgerNote(page, entry)}</td>
      <td data-label="${t.ledger.amount}" class="num">${Number(entry.amount_units) > 0 ? '+' : ''}${formatMoney(lang, Number(entry.amount_units))}</td>
      <td data-label="${t.ledger.balanceAfter}" class="num">${formatMoney(lang, Number(entry.balance_after_units))}</td>
    </tr>`,
  );
  return layout(page, {
    title: t.ledger.title,
    body: html`<h1>${t.ledger.title}</h1><p class="muted">${t.ledger.lead}</p>
    <section class="card">${
      result.rows.length === 0
        ? html`<p class="muted">${t.ledger.empty}</p>`
        : html`<div class="table-wrap"><table class="responsive">
          <thead><tr><th scope="col">${t.ledger.date}</th><th scope="col">${t.ledger.kind}</th><th scope="col">${t.ledger.order}</th>
          <th scope="col">${t.ledger.note}</th><th scope="col" class="num">${t.ledger.amount}</th><th scope="col" class="num">${t.ledger.balanceAfter}</th></tr></thead>
          <tbody>${rows}</tbody></table></div>`
    }
    ${pagination(page, { path: '/ledger', query: {}, page: result.page, pageCount: result.pageCount })}
    </section>`,
  });
}
