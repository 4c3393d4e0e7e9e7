import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exportPaymentsCsv } from '../../app/export-payments-csv.js';
import { getAdminPayment } from '../../app/get-payment.js';
import { listPayments } from '../../app/list-payments.js';
import { confirmBankTransfer, rejectBankTransfer } from '../../app/settle-bank-transfer.js';
import { lastDays } from '../../app/spending-by-day.js';
import { formatMoney } from '../../web/i18n/format.js';
import { am, type Flash } from '../../web/pages/admin-common.js';
import {
  adminPaymentPage,
  adminPaymentsPage,
  type ConfirmFormState,
  type PaymentFilterState,
} from '../../web/pages/admin-payments-pages.js';
import { adminActor, attempt, parseEuroText, parseWhole, pathId } from './admin-forms.js';
import { registerStatementRoutes } from './admin-statement-routes.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendError, sendPage } from './web-reply.js';

function paymentFilter(request: FastifyRequest): PaymentFilterState {
  return {
    search: queryText(request, 'q').slice(0, 200),
    status: queryText(request, 'status').slice(0, 40),
    method: queryText(request, 'method').slice(0, 40),
  };
}

/** The flash after the redirect that follows a confirmation or a rejection. */
function paymentFlash(request: FastifyRequest): Flash | undefined {
  const { page } = request.web;
  const m = am(page).payments;
  const done = queryText(request, 'done');
  if (done === 'confirm') {
    const units = parseWhole(queryText(request, 'n')) ?? 0;
    return { kind: 'success', message: m.confirmed(formatMoney(page.lang, units)) };
  }
  if (done === 'reject') return { kind: 'success', message: m.rejected };
  return undefined;
}

async function renderPayment(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WebOptions,
  paymentId: number,
  refusal?: { flash: Flash; confirm?: ConfirmFormState },
) {
  const found = await attempt(request, () => getAdminPayment(options.ctx, { paymentId }));
  if (!found.ok) return sendError(reply, request, 404);
  const flash = refusal?.flash ?? paymentFlash(request);
  return sendPage(
    reply,
    adminPaymentPage(request.web.page, found.value, {
      ...(flash ? { flash } : {}),
      ...(refusal?.confirm ? { confirm: refusal.confirm } : {}),
    }),
    refusal ? 400 : 200,
  );
}

function registerPaymentPages(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.get('/admin/payments', async (request, reply) => {
    const filter = paymentFilter(request);
    const result = await listPayments(ctx, { ...filter, page: parseWhole(queryText(request, 'page')) ?? 1 });
    return sendPage(reply, adminPaymentsPage(request.web.page, result, filter));
  });

  admin.get('/admin/payments.csv', async (request, reply) => {
    const filter = paymentFilter(request);
    const csv = await exportPaymentsCsv(ctx, filter);
    const today = lastDays(ctx.clock.now(), 1)[0]?.day ?? 'today';
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="payments-${today}.csv"`)
      .send(csv);
  });

  admin.get('/admin/payments/:id', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id !== undefined) return renderPayment(request, reply, options, id);
  });
}

function registerPaymentActions(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.post('/admin/payments/:id/confirm', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const state = {
      amount: formText(request, 'amount').slice(0, 40),
      note: formText(request, 'note').slice(0, 500),
    };
    const refuse = (flash: Flash) => renderPayment(request, reply, options, id, { flash, confirm: state });
    const receivedUnits = parseEuroText(state.amount);
    if (receivedUnits === undefined || receivedUnits <= 0) {
      return refuse({ kind: 'error', message: am(request.web.page).payments.badAmount });
    }
    const found = await attempt(request, () => getAdminPayment(ctx, { paymentId: id }));
    if (!found.ok) return sendError(reply, request, 404);
    const note = state.note.trim();
    const result = await attempt(request, () =>
      confirmBankTransfer(ctx, {
        reference: found.value.payment.reference,
        receivedUnits,
        actor: adminActor(request),
        ...(note ? { note } : {}),
      }),
    );
    if (!result.ok) return refuse(result.flash);
    return reply.redirect(`/admin/payments/${id}?done=confirm&n=${receivedUnits}`, 303);
  });

  admin.post('/admin/payments/:id/reject', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const found = await attempt(request, () => getAdminPayment(ctx, { paymentId: id }));
    if (!found.ok) return sendError(reply, request, 404);
    const note = formText(request, 'note').slice(0, 500).trim();
    const result = await attempt(request, () =>
      rejectBankTransfer(ctx, {
        reference: found.value.payment.reference,
        actor: adminActor(request),
        ...(note ? { note } : {}),
      }),
    );
    if (!result.ok) return renderPayment(request, reply, options, id, { flash: result.flash });
    return reply.redirect(`/admin/payments/${id}?done=reject`, 303);
  });
}

/** The operator's payments: list, CSV, detail, confirming or rejecting a transfer, statements. */
export async function registerAdminPaymentRoutes(admin: FastifyInstance, options: WebOptions): Promise<void> {
  registerPaymentPages(admin, options);
  registerPaymentActions(admin, options);
  await registerStatementRoutes(admin, options);
}
