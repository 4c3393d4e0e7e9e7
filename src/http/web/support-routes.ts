import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { closeSupportTicket } from '../../app/close-support-ticket.js';
import { getCustomerDesk } from '../../app/get-customer-desk.js';
import { getSupportTicket } from '../../app/get-support-ticket.js';
import { openSupportTicket } from '../../app/open-support-ticket.js';
import { postTicketMessage } from '../../app/post-ticket-message.js';
import { isDomainError, isNotFound } from '../../domain/errors.js';
import { refusalSentence } from '../../web/i18n/refusals.js';
import { supportMessages } from '../../web/i18n/support.js';
import {
  customerTicketPage,
  type NewTicketForm,
  type PageFlash,
  supportPage,
} from '../../web/pages/support-pages.js';
import { afterReading } from '../../web/pages/support-thread.js';
import { parseWhole, pathId } from './admin-forms.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireSession, sendError, sendPage } from './web-reply.js';

function accountOf(request: FastifyRequest) {
  const session = request.web.session;
  if (!session) throw new Error('support route reached without requireSession');
  return session.account;
}

/** A refusal as the page's error flash; anything else is a 500. */
function refusalFlash(request: FastifyRequest, error: unknown): PageFlash {
  if (!isDomainError(error)) throw error;
  return { kind: 'error', message: refusalSentence(error.refusal, request.web.lang) };
}

/**
 * The customer's support desk. Open to every signed-in account, suspended ones included (the
 * guard is requireSession): asking why is what a suspended customer needs most.
 */
export function registerSupportRoutes(web: FastifyInstance, options: WebOptions): void {
  registerDeskRoutes(web, options);
  registerTicketRoutes(web, options);
}

type TicketRenderer = (
  request: FastifyRequest,
  reply: FastifyReply,
  ticketId: number,
  extra?: { flash?: PageFlash; draft?: string; status?: number },
) => Promise<unknown>;

/** Renders one of the account's tickets, or 404 when it is not theirs. */
function ticketRenderer(ctx: WebOptions['ctx']): TicketRenderer {
  return async function renderTicket(
    request: FastifyRequest,
    reply: FastifyReply,
    ticketId: number,
    extra: { flash?: PageFlash; draft?: string; status?: number } = {},
  ) {
    try {
      const thread = await getSupportTicket(ctx, {
        ticketId,
        reader: { side: 'customer', accountId: accountOf(request).id },
      });
      const { status, ...state } = extra;
      return sendPage(
        reply,
        customerTicketPage(afterReading(request.web.page, thread, 'own'), thread, state),
        status,
      );
    } catch (error) {
      if (isDomainError(error, 'ticket_not_found')) return sendError(reply, request, 404);
      throw error;
    }
  };
}

/** The desk: the account's tickets and the form that opens one. */
function registerDeskRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const guard = { preHandler: requireSession };

  async function renderDesk(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { form?: NewTicketForm; flash?: PageFlash; status?: number } = {},
  ) {
    const account = accountOf(request);
    const desk = await getCustomerDesk(ctx, { accountId: account.id });
    const { status, ...state } = extra;
    const page = supportPage(request.web.page, {
      ...desk,
      isSuspended: account.status !== 'active',
      ...state,
    });
    return sendPage(reply, page, status);
  }

  web.get('/support', guard, async (request, reply) => {
    const opened = queryText(request, 'done') === 'opened';
    const flash: PageFlash | undefined = opened
      ? { kind: 'success', message: supportMessages(request.web.lang).customer.opened }
      : undefined;
    return renderDesk(request, reply, flash ? { flash } : {});
  });

  web.post('/support', guard, async (request, reply) => {
    const form = {
      subject: formText(request, 'subject').slice(0, 1000),
      message: formText(request, 'message').slice(0, 20_000),
      order: formText(request, 'order').trim().slice(0, 15),
    };
    const orderId = form.order === '' ? undefined : parseWhole(form.order);
    if (form.order !== '' && (orderId === undefined || orderId < 1)) {
      const message = supportMessages(request.web.lang).customer.orderNotNumber;
      return renderDesk(request, reply, { form, flash: { kind: 'error', message }, status: 400 });
    }
    try {
      const { ticketId } = await openSupportTicket(ctx, {
        accountId: accountOf(request).id,
        subject: form.subject,
        message: form.message,
        ...(orderId === undefined ? {} : { orderId }),
      });
      return reply.redirect(`/support/${ticketId}?done=opened`, 303);
    } catch (error) {
      const flash = refusalFlash(request, error);
      const status = isDomainError(error, 'ticket_rate_limited') ? 429 : 400;
      return renderDesk(request, reply, { form, flash, status });
    }
  });
}

/** One ticket: reading it, writing in it, closing it. */
function registerTicketRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const guard = { preHandler: requireSession };
  const renderTicket = ticketRenderer(ctx);

  web.get('/support/:id', guard, async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const s = supportMessages(request.web.lang);
    const done = queryText(request, 'done');
    const message =
      done === 'opened'
        ? s.customer.opened
        : done === 'sent'
          ? s.thread.sent
          : done === 'closed'
            ? s.thread.closed
            : undefined;
    return renderTicket(request, reply, id, message ? { flash: { kind: 'success', message } } : {});
  });

  web.post('/support/:id/messages', guard, async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const draft = formText(request, 'message').slice(0, 20_000);
    try {
      await postTicketMessage(ctx, {
        ticketId: id,
        writer: { side: 'customer', accountId: accountOf(request).id },
        message: draft,
      });
      return reply.redirect(`/support/${id}?done=sent`, 303);
    } catch (error) {
      if (isDomainError(error) && isNotFound(error.code)) return sendError(reply, request, 404);
      const status = isDomainError(error, 'ticket_rate_limited') ? 429 : 400;
      return renderTicket(request, reply, id, { flash: refusalFlash(request, error), draft, status });
    }
  });

  web.post('/support/:id/close', guard, async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    try {
      await closeSupportTicket(ctx, {
        ticketId: id,
        by: { side: 'customer', accountId: accountOf(request).id },
      });
    } catch (error) {
      if (isDomainError(error, 'ticket_not_found')) return sendError(reply, request, 404);
      throw error;
    }
    return reply.redirect(`/support/${id}?done=closed`, 303);
  });
}
