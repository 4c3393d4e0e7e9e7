import type { FundingOptions } from '../../app/get-funding-options.js';
import type { PaymentRow } from '../../app/list-payments.js';
import { isCredited } from '../../domain/payments.js';
import { csrfField, field, notice } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatAmount, formatMoney } from '../i18n/format.js';
import { paymentMessages } from '../i18n/payments.js';
import { wordOf } from '../i18n/vocabulary.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

/** Whole euros offered as one-click amounts, kept to those within the operator's limits. */
const QUICK_EUROS = [10, 25, 50, 100];
const UNITS_PER_EURO = 10_000;

function outstandingNotice(page: PageContext, funding: FundingOptions): SafeHtml {
  if (funding.outstandingUnits <= 0) return html``;
  const p = paymentMessages(page.lang);
  return html`<section class="card owed" role="alert" aria-labelledby="owed-title">
    <p class="stat-label" id="owed-title">${p.funds.outstandingTitle}</p>
    <p class="stat-value" data-testid="outstanding">${formatMoney(page.lang, funding.outstandingUnits)}</p>
    <p>${p.funds.outstanding(formatMoney(page.lang, funding.outstandingUnits))}</p>
    ${funding.isSuspended ? html`<p class="small">${p.funds.suspended}</p>` : ''}
  </section>`;
}

function quickPicks(page: PageContext, funding: FundingOptions): SafeHtml {
  const p = paymentMessages(page.lang);
  const euros = QUICK_EUROS.filter(
    (e) => e * UNITS_PER_EURO >= funding.limits.minUnits && e * UNITS_PER_EURO <= funding.limits.maxUnits,
  );
  if (euros.length === 0) return html``;
  return html`<div class="quick-picks" role="group" aria-label="${p.funds.quickPicks}">${euros.map(
    (e) =>
      html`<a class="button button-small quick-pick" href="/funds?amount=${e}" data-amount="${e}">${formatAmount(page.lang, e * UNITS_PER_EURO)}</a>`,
  )}</div>`;
}

function methodButtons(page: PageContext, funding: FundingOptions): SafeHtml {
  const p = paymentMessages(page.lang);
  return html`<fieldset class="methods"><legend>${p.funds.methods}</legend>
    ${
      funding.hasCard
        ? html`<div class="method"><button type="submit" class="button button-primary" formaction="/funds/card" data-testid="pay-card">${p.funds.payCard}</button>
          <p class="hint">${p.funds.cardHint}</p></div>`
        : ''
    }
    ${
      funding.hasBankTransfer
        ? html`<div class="method"><button type="submit" class="button${funding.hasCard ? '' : ' button-primary'}" formaction="/funds/bank" data-testid="pay-bank">${p.funds.payBank}</button>
          <p class="hint">${p.funds.bankHint}</p></div>`
        : ''
    }
  </fieldset>`;
}

/** The Add funds form: one amount, one submit button per method offered. */
export function fundsPage(
  page: PageContext,
  funding: FundingOptions,
  state: { amount?: string; error?: string },
): SafeHtml {
  const { lang } = page;
  const p = paymentMessages(lang);
  const min = formatAmount(lang, funding.limits.minUnits);
  const max = formatAmount(lang, funding.limits.maxUnits);
  const hasMethod = funding.hasCard || funding.hasBankTransfer;
  const form = html`<form method="post" action="${funding.hasCard ? '/funds/card' : '/funds/bank'}" class="card stack funds-form" novalidate>
    ${csrfField(page)}
    ${state.error ? notice('error', state.error) : ''}
    ${field({
      id: 'amount',
      label: p.funds.amount,
      hint: p.funds.amountHint(min, max),
      input: html`<input id="amount" name="amount" type="text" inputmode="decimal" autocomplete="off" required
        value="${state.amount ?? ''}" aria-describedby="amount-hint"${state.error ? html` aria-invalid="true"` : ''}>`,
    })}
    ${quickPicks(page, funding)}
    ${methodButtons(page, funding)}
  </form>`;
  return layout(page, {
    title: p.funds.title,
    narrow: true,
    body: html`<h1>${p.funds.title}</h1><p class="muted">${p.funds.lead}</p>
      ${outstandingNotice(page, funding)}
      ${hasMethod ? form : notice('info', p.funds.noMethods)}
      <p><a href="/payments">${p.funds.openPayments}</a></p>`,
  });
}

/** The payment's state as the return page shows it; refreshed in place while pending. */
export function paymentStatusSection(page: PageContext, payment: PaymentRow): SafeHtml {
  const p = paymentMessages(page.lang);
  const isPending = payment.status === 'pending';
  const text = isPending
    ? p.result.stillPending
    : isCredited(payment.status)
      ? p.result.credited(formatMoney(page.lang, Number(payment.credited_units)))
      : p.result.notCredited;
  return html`<div id="payment-status" class="payment-status" data-testid="payment-status"${
    isPending ? html` data-live-refresh="3000"` : ''
  }>
    <p><span class="badge badge-pay-${payment.status}">${wordOf(p.statuses, payment.status)}</span>
    <span class="mono">${payment.reference}</span> · ${formatMoney(page.lang, Number(payment.amount_units))}</p>
    ${notice(isPending ? 'info' : isCredited(payment.status) ? 'success' : 'error', text)}
    ${isPending ? html`<p><a class="button button-small" href="/funds/return?payment=${payment.id}">${p.result.refresh}</a></p>` : ''}
  </div>`;
}

/** Where the card processor sends the customer back: it shows, and never credits. */
export function fundsReturnPage(page: PageContext, payment: PaymentRow): SafeHtml {
  const p = paymentMessages(page.lang);
  return layout(page, {
    title: p.result.returnTitle,
    narrow: true,
    body: html`<section class="card stack"><h1>${p.result.returnTitle}</h1>
      <p>${p.result.returnLead}</p>
      ${paymentStatusSection(page, payment)}
      <p class="actions"><a class="button button-primary" href="/dashboard">${p.result.toDashboard}</a>
      <a class="button" href="/payments/${payment.id}">${p.list.view}</a></p></section>`,
  });
}

export function fundsCancelPage(page: PageContext, payment: PaymentRow): SafeHtml {
  const p = paymentMessages(page.lang);
  return layout(page, {
    title: p.result.cancelTitle,
    narrow: true,
    body: html`<section class="card stack"><h1>${p.result.cancelTitle}</h1>
      <p>${p.result.cancelLead}</p>
      <p class="muted small"><span class="mono">${payment.reference}</span> · ${formatMoney(page.lang, Number(payment.amount_units))}</p>
      <p class="actions"><a class="button button-primary" href="/funds">${p.result.tryAgain}</a>
      <a class="button" href="/dashboard">${p.result.toDashboard}</a></p></section>`,
  });
}
