import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CustomerPayment, getCustomerPayment } from '../../app/get-payment.js';
import { listCustomerPayments } from '../../app/list-payments.js';
import { isDomainError } from '../../domain/errors.js';
import { isCredited } from '../../domain/payments.js';
import { paymentDetailPage, paymentsPage } from '../../web/pages/payments-page.js';
import { receiptPage } from '../../web/pages/receipt-page.js';
import { queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireSignedIn, sendError, sendPage } from './web-reply.js';

function positiveInteger(text: string): number | undefined {
  const value = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

export function registerPaymentsRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const guard = { preHandler: requireSignedIn };

  /** The customer's own payment, or undefined (someone else's looks like none: 404). */
  async function ownPayment(request: FastifyRequest): Promise<CustomerPayment | undefined> {
    const paymentId = positiveInteger((request.params as { id: string }).id);
    if (paymentId === undefined) return undefined;
    try {
      return await getCustomerPayment(ctx, { accountId: request.web.session?.account.id ?? 0, paymentId });
    } catch (error) {
      if (isDomainError(error, 'payment_not_found')) return undefined;
      throw error;
    }
  }

  web.get('/payments', guard, async (request, reply) => {
    const result = await listCustomerPayments(ctx, {
      accountId: request.web.session?.account.id ?? 0,
      page: positiveInteger(queryText(request, 'page')) ?? 1,
    });
    return sendPage(reply, paymentsPage(request.web.page, result));
  });

  web.get('/payments/:id', guard, async (request, reply: FastifyReply) => {
    const detail = await ownPayment(request);
    if (!detail) return sendError(reply, request, 404);
    return sendPage(reply, paymentDetailPage(request.web.page, detail));
  });

  // A receipt exists once money was credited: before that there is nothing to number.
  web.get('/payments/:id/receipt', guard, async (request, reply) => {
    const detail = await ownPayment(request);
    if (!detail || !isCredited(detail.payment.status) || !detail.payment.receipt_number) {
      return sendError(reply, request, 404);
    }
    return sendPage(reply, receiptPage(request.web.page, detail));
  });
}
