import type { CustomerPayment } from '../../app/get-payment.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatMoney } from '../i18n/format.js';
import { paymentMessages } from '../i18n/payments.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

/**
 * A printable receipt of a credited payment: the print stylesheet (app.css, @media print)
 * drops the navigation and the buttons, so the printout is the receipt alone.
 */
export function receiptPage(page: PageContext, detail: CustomerPayment): SafeHtml {
  const { lang } = page;
  const p = paymentMessages(lang);
  const r = p.receipt;
  const { payment, business } = detail;
  const number = payment.receipt_number ?? '';
  return layout(page, {
    title: r.title(number),
    body: html`<article class="card receipt" aria-labelledby="receipt-title">
      <header class="receipt-head">
        <div><h1 id="receipt-title">${r.heading}</h1>
        <p class="receipt-number">${r.number} <strong data-testid="receipt-number">${number}</strong></p></div>
        <address class="receipt-issuer"><span class="stat-label">${r.issuer}</span>
          <strong>${business.name}</strong>${business.address ? html`<br>${business.address}` : ''}
          ${business.vatId ? html`<br>${r.vatId} ${business.vatId}` : ''}
          ${business.email ? html`<br>${business.email}` : ''}</address>
      </header>
      <dl class="confirm-summary receipt-lines">
        <dt>${r.customer}</dt><dd>${detail.email}</dd>
        <dt>${r.date}</dt><dd>${formatDateTime(lang, Number(payment.succeeded_at ?? payment.created_at))}</dd>
        <dt>${r.method}</dt><dd>${wordOf(p.methods, payment.method)}</dd>
        <dt>${r.reference}</dt><dd class="mono">${payment.reference}</dd>
        <dt>${r.amount}</dt><dd class="charge-total" data-testid="receipt-amount">${formatMoney(lang, Number(payment.credited_units))}</dd>
      </dl>
      <p class="muted small">${r.note}</p>
      <p class="actions no-print"><button type="button" class="button" data-print>${r.print}</button>
      <a class="button" href="/payments">${p.detail.back}</a></p>
    </article>`,
  });
}
