import type { StatementImport, StatementLine } from '../../app/import-bank-statement.js';
import { formatUnits } from '../../domain/money.js';
import { csrfField, field } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatInteger, formatMoney } from '../i18n/format.js';
import { wordOf } from '../i18n/vocabulary.js';
import type { PageContext } from '../page-context.js';
import { adminLayout, am, type Flash, tableOrEmpty } from './admin-common.js';

/** Outcomes that moved money, that need nothing, and that the operator should look at. */
const OUTCOME_CLASS: Record<string, string> = {
  credited: 'ok',
  credited_amount_differs: 'warn',
  already_imported: 'neutral',
  already_credited: 'neutral',
  not_a_credit: 'neutral',
};

function outcomeBadge(page: PageContext, outcome: string): SafeHtml {
  const text = wordOf(am(page).payments.statement.outcomes, outcome);
  return html`<span class="badge badge-outcome-${OUTCOME_CLASS[outcome] ?? 'bad'}">${text}</span>`;
}

function amountCell(page: PageContext, line: StatementLine): SafeHtml {
  // Only euro amounts are shown as euro; any other currency keeps its own code.
  const amount =
    line.currency.toUpperCase() === 'EUR'
      ? formatMoney(page.lang, line.amountUnits)
      : `${formatUnits(line.amountUnits)} ${line.currency}`;
  const asked =
    line.askedUnits !== null && line.askedUnits !== line.amountUnits
      ? html`<br><span class="muted small">${am(page).payments.asked}: ${formatMoney(page.lang, line.askedUnits)}</span>`
      : '';
  return html`${amount}${asked}`;
}

function resultTable(page: PageContext, result: StatementImport): SafeHtml {
  const m = am(page).payments.statement;
  const rows = result.lines.map(
    (line) => html`<tr data-entry-key="${line.key}" data-outcome="${line.outcome}">
      <td data-label="${m.amount}" class="num nowrap">${amountCell(page, line)}</td>
      <td data-label="${m.bookingDate}" class="nowrap">${line.bookingDate ?? ''}</td>
      <td data-label="${m.debtor}">${line.debtorName ?? ''}</td>
      <td data-label="${m.remittance}" class="link-cell small">${line.remittance}</td>
      <td data-label="${am(page).payments.reference}" class="mono nowrap">${line.reference ?? ''}</td>
      <td data-label="${m.payment}">${line.paymentId === null ? '' : html`<a href="/admin/payments/${line.paymentId}">#${line.paymentId}</a>`}</td>
      <td data-label="${m.outcome}">${outcomeBadge(page, line.outcome)}</td>
    </tr>`,
  );
  return tableOrEmpty(
    result.lines,
    m.empty,
    () => html`<div class="table-wrap"><table class="responsive statement-lines">
      <thead><tr><th scope="col" class="num">${m.amount}</th><th scope="col">${m.bookingDate}</th><th scope="col">${m.debtor}</th>
        <th scope="col">${m.remittance}</th><th scope="col">${am(page).payments.reference}</th><th scope="col">${m.payment}</th><th scope="col">${m.outcome}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>`,
  );
}

export function adminStatementPage(
  page: PageContext,
  options: { result?: StatementImport; flash?: Flash } = {},
): SafeHtml {
  const m = am(page).payments;
  const { result } = options;
  const credited = result ? formatMoney(page.lang, result.creditedUnits) : '';
  return adminLayout(page, {
    section: 'payments',
    title: m.statement.title,
    ...(options.flash ? { flash: options.flash } : {}),
    actions: html`<a class="button" href="/admin/payments">${m.title}</a>`,
    body: html`${
      result
        ? html`<section class="card" aria-labelledby="result-title">
      <h2 id="result-title">${m.statement.resultTitle}</h2>
      <p class="muted small">${m.statement.statementIds}: <span class="mono">${result.statementIds.join(', ')}</span></p>
      <p data-testid="statement-summary">${m.statement.summary(formatInteger(page.lang, result.lines.length), credited)}</p>
      ${resultTable(page, result)}
      <p class="strong" data-testid="statement-credited">${m.statement.creditedTotal(credited)}</p>
    </section>`
        : ''
    }
    <section class="card" aria-labelledby="upload-title">
      <h2 id="upload-title">${m.uploadStatement}</h2>
      <p class="muted small">${m.statement.lead}</p>
      <form method="post" action="/admin/payments/statement" enctype="multipart/form-data" class="stack">
        ${csrfField(page)}
        ${field({ id: 'statement', label: m.statement.file, input: html`<input id="statement" name="statement" type="file" accept=".xml,application/xml,text/xml" required>` })}
        <button type="submit" class="button button-primary">${m.statement.upload}</button>
      </form>
    </section>`,
  });
}
