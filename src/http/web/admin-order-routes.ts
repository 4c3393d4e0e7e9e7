import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cancelOrderAsAdmin } from '../../app/cancel-order-as-admin.js';
import { getAdminOrder } from '../../app/get-admin-order.js';
import { listAllOrders } from '../../app/list-all-orders.js';
import { listOperatorQueue } from '../../app/list-operator-queue.js';
import { recordFailedAttempt } from '../../app/record-failed-attempt.js';
import { recordOrderProgress } from '../../app/record-order-progress.js';
import { formatInteger, formatMoney } from '../../web/i18n/format.js';
import { am, type Flash } from '../../web/pages/admin-common.js';
import { adminOrderPage, adminOrdersPage } from '../../web/pages/admin-orders-pages.js';
import { adminQueuePage } from '../../web/pages/admin-queue-page.js';
import { adminActor, attempt, parseWhole, pathId } from './admin-forms.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendError, sendPage } from './web-reply.js';

function orderFlash(request: FastifyRequest): Flash | undefined {
  const { page } = request.web;
  const m = am(page).orders;
  const done = queryText(request, 'done');
  const n = parseWhole(queryText(request, 'n')) ?? 0;
  if (done === 'progress') return { kind: 'success', message: m.progressed(formatInteger(page.lang, n)) };
  if (done === 'fail') return { kind: 'success', message: m.failed(n) };
  if (done === 'cancel') return { kind: 'success', message: m.canceled(formatMoney(page.lang, n)) };
  return undefined;
}

async function renderOrder(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WebOptions,
  orderId: number,
  refusal?: Flash,
) {
  const found = await attempt(request, () => getAdminOrder(options.ctx, { orderId }));
  if (!found.ok) return sendError(reply, request, 404);
  const flash = refusal ?? orderFlash(request);
  return sendPage(
    reply,
    adminOrderPage(request.web.page, found.value, flash ? { flash } : {}),
    refusal ? 400 : 200,
  );
}

function registerOrderPages(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.get('/admin/orders', async (request, reply) => {
    const filter = {
      search: queryText(request, 'q').slice(0, 200),
      status: queryText(request, 'status'),
      account: queryText(request, 'account').slice(0, 15),
    };
    const accountId = parseWhole(filter.account);
    const result = await listAllOrders(ctx, {
      search: filter.search,
      status: filter.status,
      ...(accountId === undefined ? {} : { accountId }),
      page: parseWhole(queryText(request, 'page')) ?? 1,
    });
    return sendPage(reply, adminOrdersPage(request.web.page, result, filter));
  });

  admin.get('/admin/queue', async (request, reply) => {
    const { page } = request.web;
    const done = queryText(request, 'done');
    const orderId = parseWhole(queryText(request, 'order')) ?? 0;
    const remains = formatInteger(page.lang, parseWhole(queryText(request, 'n')) ?? 0);
    const flash: Flash | undefined =
      done === 'progress'
        ? { kind: 'success', message: am(page).queue.progressed(orderId, remains) }
        : undefined;
    const queue = await listOperatorQueue(ctx, { limit: 200 });
    return sendPage(reply, adminQueuePage(page, queue, flash ? { flash } : {}));
  });

  admin.get('/admin/orders/:id', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id !== undefined) return renderOrder(request, reply, options, id);
  });
}

function registerOrderActions(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.post('/admin/orders/:id/progress', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const m = am(request.web.page).orders;
    const delivered = parseWhole(formText(request, 'delivered'));
    const startText = formText(request, 'start_count').trim();
    const startCount = startText === '' ? undefined : parseWhole(startText);
    if (delivered === undefined || delivered < 1) {
      return renderOrder(request, reply, options, id, { kind: 'error', message: m.badDelivered });
    }
    if (startText !== '' && startCount === undefined) {
      return renderOrder(request, reply, options, id, { kind: 'error', message: m.badStartCount });
    }
    const result = await attempt(request, () =>
      recordOrderProgress(ctx, {
        orderId: id,
        deliveredQuantity: delivered,
        ...(startCount === undefined ? {} : { startCount }),
        actor: adminActor(request),
      }),
    );
    if (!result.ok) return renderOrder(request, reply, options, id, result.flash);
    const { remains } = result.value;
    if (formText(request, 'back') === 'queue') {
      return reply.redirect(`/admin/queue?done=progress&order=${id}&n=${remains}`, 303);
    }
    return reply.redirect(`/admin/orders/${id}?done=progress&n=${remains}`, 303);
  });

  admin.post('/admin/orders/:id/fail', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const result = await attempt(request, () =>
      recordFailedAttempt(ctx, { orderId: id, actor: adminActor(request) }),
    );
    if (!result.ok) return renderOrder(request, reply, options, id, result.flash);
    return reply.redirect(`/admin/orders/${id}?done=fail&n=${result.value.failedAttempts}`, 303);
  });

  admin.post('/admin/orders/:id/cancel', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const result = await attempt(request, () =>
      cancelOrderAsAdmin(ctx, { orderId: id, actor: adminActor(request) }),
    );
    if (!result.ok) return renderOrder(request, reply, options, id, result.flash);
    return reply.redirect(`/admin/orders/${id}?done=cancel&n=${result.value.refundUnits}`, 303);
  });
}

export function registerAdminOrderRoutes(admin: FastifyInstance, options: WebOptions): void {
  registerOrderPages(admin, options);
  registerOrderActions(admin, options);
}
