import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { closeSupportTicket } from '../../app/close-support-ticket.js';
import { getSupportTicket } from '../../app/get-support-ticket.js';
import { listAllTickets } from '../../app/list-all-tickets.js';
import { postTicketMessage } from '../../app/post-ticket-message.js';
import { isTicketStatus } from '../../domain/support.js';
import { supportMessages } from '../../web/i18n/support.js';
import type { Flash } from '../../web/pages/admin-common.js';
import { adminSupportPage, adminTicketPage } from '../../web/pages/admin-support-pages.js';
import { afterReading } from '../../web/pages/support-thread.js';
import { adminActor, attempt, parseWhole, pathId } from './admin-forms.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendError, sendPage } from './web-reply.js';

/** The operator's side of the support desk, inside the admin plugin (admins only). */
export function registerAdminSupportRoutes(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  async function renderTicket(
    request: FastifyRequest,
    reply: FastifyReply,
    ticketId: number,
    extra: { flash?: Flash; draft?: string; status?: number } = {},
  ) {
    const found = await attempt(request, () =>
      getSupportTicket(ctx, { ticketId, reader: { side: 'staff' } }),
    );
    if (!found.ok) return sendError(reply, request, 404);
    const { status, ...state } = extra;
    const page = afterReading(request.web.page, found.value, 'desk');
    return sendPage(reply, adminTicketPage(page, found.value, state), status);
  }

  admin.get('/admin/support', async (request, reply) => {
    const status = queryText(request, 'status');
    const filter = { status: isTicketStatus(status) ? status : '' };
    const result = await listAllTickets(ctx, {
      status: filter.status,
      page: parseWhole(queryText(request, 'page')) ?? 1,
    });
    return sendPage(reply, adminSupportPage(request.web.page, result, filter));
  });

  admin.get('/admin/support/:id', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const s = supportMessages(request.web.lang).thread;
    const done = queryText(request, 'done');
    const message = done === 'sent' ? s.sent : done === 'closed' ? s.closed : undefined;
    return renderTicket(request, reply, id, message ? { flash: { kind: 'success', message } } : {});
  });

  admin.post('/admin/support/:id/messages', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const draft = formText(request, 'message').slice(0, 20_000);
    const accountId = request.web.session?.account.id ?? 0;
    const result = await attempt(request, () =>
      postTicketMessage(ctx, { ticketId: id, writer: { side: 'staff', accountId }, message: draft }),
    );
    if (!result.ok) {
      if (result.notFound) return sendError(reply, request, 404);
      return renderTicket(request, reply, id, { flash: result.flash, draft, status: 400 });
    }
    return reply.redirect(`/admin/support/${id}?done=sent`, 303);
  });

  admin.post('/admin/support/:id/close', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const result = await attempt(request, () =>
      closeSupportTicket(ctx, { ticketId: id, by: { side: 'staff', actor: adminActor(request) } }),
    );
    if (!result.ok) return sendError(reply, request, 404);
    return reply.redirect(`/admin/support/${id}?done=closed`, 303);
  });
}
