import type { CustomerPayment } from '../../app/get-payment.js';
import type { PaymentRow } from '../../app/list-payments.js';
import type { Paged } from '../../app/pagination.js';
import { isCredited } from '../../domain/payments.js';
import { copyable, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatMoney } from '../i18n/format.js';
import { paymentMessages } from '../i18n/payments.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { pagination } from './pagination.js';

/** The IBAN in groups of four, as printed on bank cards and statements, for reading aloud. */
export function groupIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

export function paymentBadge(page: PageContext, status: string): SafeHtml {
  const p = paymentMessages(page.lang);
  return html`<span class="badge badge-pay-${status}">${wordOf(p.statuses, status)}</span>`;
}

function paymentRow(page: PageContext, payment: PaymentRow): SafeHtml {
  const { lang } = page;
  const p = paymentMessages(lang);
  const credited = Number(payment.credited_units);
  return html`<tr data-payment-id="${payment.id}">
    <td data-label="${p.list.date}" class="nowrap">${formatDateTime(lang, Number(payment.created_at))}</td>
    <td data-label="${p.list.method}">${wordOf(p.methods, payment.method)}</td>
    <td data-label="${p.list.reference}"><a class="mono" href="/payments/${payment.id}">${payment.reference}</a></td>
    <td data-label="${p.list.amount}" class="num">${formatMoney(lang, Number(payment.amount_units))}</td>
    <td data-label="${p.list.credited}" class="num">${credited > 0 ? formatMoney(lang, credited) : '—'}</td>
    <td data-label="${p.list.status}">${paymentBadge(page, payment.status)}</td>
    <td data-label="${p.list.receipt}">${
      isCredited(payment.status) && payment.receipt_number
        ? html`<a href="/payments/${payment.id}/receipt">${payment.receipt_number}</a>`
        : '—'
    }</td>
  </tr>`;
}

export function paymentsPage(page: PageContext, result: Paged<PaymentRow>): SafeHtml {
  const p = paymentMessages(page.lang);
  const l = p.list;
  return layout(page, {
    title: l.title,
    body: html`<div class="page-head"><h1>${l.title}</h1>
      <div class="actions"><a class="button button-primary" href="/funds">${p.nav.funds}</a></div></div>
    <p class="muted">${l.lead}</p>
    <section class="card">${
      result.rows.length === 0
        ? html`<p class="muted">${l.empty}</p>`
        : html`<div class="table-wrap"><table class="responsive">
          <thead><tr><th scope="col">${l.date}</th><th scope="col">${l.method}</th><th scope="col">${l.reference}</th>
          <th scope="col" class="num">${l.amount}</th><th scope="col" class="num">${l.credited}</th>
          <th scope="col">${l.status}</th><th scope="col">${l.receipt}</th></tr></thead>
          <tbody>${result.rows.map((row) => paymentRow(page, row))}</tbody></table></div>`
    }
    ${pagination(page, { path: '/payments', query: {}, page: result.page, pageCount: result.pageCount })}
    </section>`,
  });
}

/** What to type into the bank's form: shown while a transfer is awaited. */
function transferInstructions(page: PageContext, detail: CustomerPayment): SafeHtml {
  const p = paymentMessages(page.lang);
  const d = p.detail;
  const { payment, bank } = detail;
  if (!bank) return notice('info', d.noBank);
  return html`<section class="card transfer" aria-labelledby="transfer-title">
    <h2 id="transfer-title">${d.transferTitle}</h2>
    <p>${d.transferLead}</p>
    <dl class="transfer-details">
      <dt>${d.iban}</dt><dd><p class="iban mono" data-testid="iban">${groupIban(bank.iban)}</p>
        ${copyable(page, bank.iban.replace(/\s+/g, ''), { id: 'iban', label: d.iban })}</dd>
      <dt>${d.beneficiary}</dt><dd>${bank.beneficiary}</dd>
      ${bank.bic ? html`<dt>${d.bic}</dt><dd class="mono">${bank.bic}</dd>` : ''}
      <dt>${d.amount}</dt><dd class="transfer-amount">${formatMoney(page.lang, Number(payment.amount_units))}</dd>
      <dt>${d.reference}</dt><dd><p class="reference mono" data-testid="reference">${payment.reference}</p>
        ${copyable(page, payment.reference, { id: 'reference', label: d.reference })}
        <p class="hint">${d.referenceHint}</p></dd>
    </dl>
    <p class="muted">${d.whenCredited}</p>
  </section>`;
}

function summary(page: PageContext, payment: PaymentRow): SafeHtml {
  const { lang } = page;
  const d = paymentMessages(lang).detail;
  const refunded = Number(payment.reversed_units);
  return html`<dl class="confirm-summary">
    <dt>${d.status}</dt><dd>${paymentBadge(page, payment.status)}</dd>
    <dt>${d.method}</dt><dd>${wordOf(paymentMessages(lang).methods, payment.method)}</dd>
    <dt>${d.amount}</dt><dd>${formatMoney(lang, Number(payment.amount_units))}</dd>
    <dt>${d.created}</dt><dd>${formatDateTime(lang, Number(payment.created_at))}</dd>
    ${
      payment.succeeded_at === null
        ? ''
        : html`<dt>${d.succeeded}</dt><dd>${formatDateTime(lang, Number(payment.succeeded_at))}</dd>
          <dt>${d.credited}</dt><dd>${formatMoney(lang, Number(payment.credited_units))}</dd>`
    }
    ${refunded > 0 ? html`<dt>${d.refunded}</dt><dd>${formatMoney(lang, refunded)}</dd>` : ''}
  </dl>`;
}

export function paymentDetailPage(page: PageContext, detail: CustomerPayment): SafeHtml {
  const p = paymentMessages(page.lang);
  const { payment } = detail;
  const isAwaitedTransfer = payment.method === 'bank_transfer' && payment.status === 'pending';
  const hasReceipt = isCredited(payment.status) && payment.receipt_number !== null;
  return layout(page, {
    title: p.detail.title(payment.reference),
    body: html`<div class="page-head"><h1>${p.detail.title(payment.reference)}</h1>
      <div class="actions">${
        hasReceipt
          ? html`<a class="button button-primary" href="/payments/${payment.id}/receipt">${p.detail.receipt}</a>`
          : ''
      }<a class="button" href="/payments">${p.detail.back}</a></div></div>
    ${isAwaitedTransfer ? transferInstructions(page, detail) : ''}
    <section class="card">${summary(page, payment)}</section>`,
  });
}
