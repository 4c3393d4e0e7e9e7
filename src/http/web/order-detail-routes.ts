import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getCustomerOrder } from '../../app/get-customer-order.js';
import { parseOrderId } from '../../app/order-ids.js';
import { type CancelNotice, orderDetailPage } from '../../web/pages/order-detail-page.js';
import { integerParam } from '../api-params.js';
import { queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireAccount, sendError, sendPage } from './web-reply.js';

/** After a cancel (order-routes.ts): `canceled=1`, plus `shown=` when the refund differed from the preview. */
function cancelNoticeOf(request: FastifyRequest): CancelNotice | undefined {
  if (queryText(request, 'canceled') !== '1') return undefined;
  const shown = integerParam({ shown: queryText(request, 'shown') }, 'shown');
  return typeof shown === 'number' && shown >= 0 ? { shownRefundUnits: shown } : {};
}

/** The customer's order page (issue 11): another account's order is a 404, as a missing one. */
export function registerOrderDetailRoutes(web: FastifyInstance, options: WebOptions): void {
  web.get<{ Params: { id: string } }>(
    '/orders/:id',
    { preHandler: requireAccount },
    async (request, reply) => {
      const accountId = request.web.session?.account.id;
      const orderId = parseOrderId(request.params.id);
      if (accountId === undefined || orderId === undefined) return sendError(reply, request, 404);
      const detail = await getCustomerOrder(options.ctx, { accountId, orderId });
      if (!detail) return sendError(reply, request, 404);
      const cancelled = cancelNoticeOf(request);
      return sendPage(reply, orderDetailPage(request.web.page, detail, cancelled ? { cancelled } : {}));
    },
  );
}
