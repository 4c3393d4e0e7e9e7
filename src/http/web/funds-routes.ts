import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getFundingOptions } from '../../app/get-funding-options.js';
import { getCustomerPayment } from '../../app/get-payment.js';
import { requestBankTransfer } from '../../app/request-bank-transfer.js';
import { startCardPayment } from '../../app/start-card-payment.js';
import { isDomainError } from '../../domain/errors.js';
import type { Units } from '../../domain/money.js';
import { paymentMessages } from '../../web/i18n/payments.js';
import { refusalSentence } from '../../web/i18n/refusals.js';
import { fundsCancelPage, fundsPage, fundsReturnPage } from '../../web/pages/funds-page.js';
import { parseDepositAmount } from './deposit-amount.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireSignedIn, sendError, sendPage } from './web-reply.js';

function accountIdOf(request: FastifyRequest): number {
  const id = request.web.session?.account.id;
  if (id === undefined) throw new Error('route reached without requireSignedIn');
  return id;
}

/** Where the processor sends the customer back, as this customer reached us (see apiBaseUrl). */
function returnUrl(request: FastifyRequest, secure: boolean, path: string): string {
  const origin = `${secure ? 'https' : request.protocol}://${request.host}`;
  return `${origin}${path}?payment={PAYMENT}&lang=${request.web.lang}`;
}

function paymentIdOf(request: FastifyRequest): number | undefined {
  const id = Number(queryText(request, 'payment'));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export function registerFundsRoutes(web: FastifyInstance, options: WebOptions): void {
  registerPaymentStartRoutes(web, options);
  registerPaymentReturnRoutes(web, options);
}

/** The funds form and starting a card payment or a bank transfer from it. */
function registerPaymentStartRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const guard = { preHandler: requireSignedIn };

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { amount?: string; error?: string },
    status = 200,
  ) {
    const funding = await getFundingOptions(ctx, { accountId: accountIdOf(request) });
    return sendPage(reply, fundsPage(request.web.page, funding, state), status);
  }

  /** Parses the amount, starts the payment and redirects; a refusal re-renders the form with it. */
  async function pay(
    request: FastifyRequest,
    reply: FastifyReply,
    start: (amountUnits: Units) => Promise<string>,
  ) {
    const amount = formText(request, 'amount');
    const amountUnits = parseDepositAmount(amount);
    const lang = request.web.lang;
    if (amountUnits === undefined) {
      return renderForm(request, reply, { amount, error: paymentMessages(lang).errors.invalidAmount }, 400);
    }
    try {
      return reply.redirect(await start(amountUnits), 303);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const status = error.code === 'payment_provider_unavailable' ? 503 : 400;
      return renderForm(request, reply, { amount, error: refusalSentence(error.refusal, lang) }, status);
    }
  }

  web.get('/funds', guard, async (request, reply) =>
    renderForm(request, reply, { amount: queryText(request, 'amount') }),
  );

  web.post('/funds/card', guard, async (request, reply) =>
    pay(request, reply, async (amountUnits) => {
      const started = await startCardPayment(ctx, {
        accountId: accountIdOf(request),
        amountUnits,
        successUrl: returnUrl(request, options.secureCookies, '/funds/return'),
        cancelUrl: returnUrl(request, options.secureCookies, '/funds/cancel'),
        locale: request.web.lang,
      });
      return started.checkoutUrl;
    }),
  );

  web.post('/funds/bank', guard, async (request, reply) =>
    pay(request, reply, async (amountUnits) => {
      const { payment } = await requestBankTransfer(ctx, { accountId: accountIdOf(request), amountUnits });
      return `/payments/${payment.id}`;
    }),
  );
}

/** The way back from the processor only shows the payment: the signed webhook credits it. */
function registerPaymentReturnRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const guard = { preHandler: requireSignedIn };

  for (const [path, render] of [
    ['/funds/return', fundsReturnPage],
    ['/funds/cancel', fundsCancelPage],
  ] as const) {
    web.get(path, guard, async (request, reply) => {
      const paymentId = paymentIdOf(request);
      if (paymentId === undefined) return sendError(reply, request, 404);
      try {
        const { payment } = await getCustomerPayment(ctx, { accountId: accountIdOf(request), paymentId });
        return sendPage(reply, render(request.web.page, payment));
      } catch (error) {
        if (isDomainError(error, 'payment_not_found')) return sendError(reply, request, 404);
        throw error;
      }
    });
  }
}
