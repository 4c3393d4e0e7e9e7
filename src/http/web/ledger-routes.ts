import type { FastifyInstance } from 'fastify';
import { listCustomerLedger } from '../../app/list-customer-ledger.js';
import { ledgerPage } from '../../web/pages/ledger-page.js';
import { queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireAccount, sendPage } from './web-reply.js';

export function registerLedgerRoutes(web: FastifyInstance, options: WebOptions): void {
  web.get('/ledger', { preHandler: requireAccount }, async (request, reply) => {
    const requested = Number(queryText(request, 'page'));
    const result = await listCustomerLedger(options.ctx, {
      accountId: request.web.session?.account.id ?? 0,
      page: Number.isSafeInteger(requested) && requested > 0 ? requested : 1,
    });
    return sendPage(reply, ledgerPage(request.web.page, result));
  });
}
