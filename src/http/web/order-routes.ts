import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cancelOrder } from '../../app/cancel-orders.js';
import { getBalance } from '../../app/get-balance.js';
import { getServiceTimings } from '../../app/get-service-timings.js';
import { listCustomerOrders } from '../../app/list-customer-orders.js';
import { listServices } from '../../app/list-services.js';
import { parseOrderId } from '../../app/order-ids.js';
import { type PlaceOrderOptions, placeOrder } from '../../app/place-order.js';
import { previewCancel } from '../../app/preview-cancel.js';
import { previewOrder } from '../../app/preview-order.js';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { refusalSentence } from '../../web/i18n/refusals.js';
import { type OrderFormValues, orderConfirmPage, orderFormPage } from '../../web/pages/order-form-page.js';
import { cancelOrderPage, ordersPage } from '../../web/pages/orders-page.js';
import { integerParam } from '../api-params.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireAccount, sendError, sendPage } from './web-reply.js';

function accountIdOf(request: FastifyRequest): number {
  const id = request.web.session?.account.id;
  if (id === undefined) throw new Error('route reached without requireAccount');
  return id;
}

function formValues(request: FastifyRequest): OrderFormValues {
  const serviceId = integerParam({ service: formText(request, 'service') }, 'service');
  return {
    ...(serviceId ? { serviceId } : {}),
    link: formText(request, 'link'),
    quantity: formText(request, 'quantity'),
    comments: formText(request, 'comments'),
    runs: formText(request, 'runs'),
    interval: formText(request, 'interval'),
  };
}

/** An optional integer field of the form: empty is "not sent", as an absent API parameter. */
function optionalInteger(text: string | undefined): number | null | undefined {
  return text === undefined || text === '' ? undefined : integerParam({ value: text }, 'value');
}

/** The form read exactly as /api/v2 reads `add` (contract §1), so the same errors come back. */
function placeOptions(request: FastifyRequest, values: OrderFormValues): PlaceOrderOptions {
  const quantityText = values.quantity ?? '';
  return {
    accountId: accountIdOf(request),
    serviceId: values.serviceId,
    link: values.link,
    // A comments order sends no quantity (the browser disables the field).
    quantity: quantityText === '' ? undefined : integerParam({ quantity: quantityText }, 'quantity'),
    comments: values.comments === '' ? undefined : values.comments,
    runs: optionalInteger(values.runs),
    intervalMinutes: optionalInteger(values.interval),
  };
}

function pageNumber(request: FastifyRequest): number {
  const page = Number(queryText(request, 'page'));
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}

type FormRenderer = (
  request: FastifyRequest,
  reply: FastifyReply,
  values: OrderFormValues,
  refusal?: DomainError,
) => Promise<unknown>;

export function registerOrderRoutes(web: FastifyInstance, options: WebOptions): void {
  const renderForm = formRenderer(options.ctx);
  registerOrderFormRoutes(web, options, renderForm);
  registerPlaceOrderRoute(web, options, renderForm);
  registerOrderListRoutes(web, options);
}

/** Renders the order form with the account's services, timings and balance. */
function formRenderer(ctx: WebOptions['ctx']): FormRenderer {
  return async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: OrderFormValues,
    refusal?: DomainError,
  ) {
    const services = await listServices(ctx, { accountId: accountIdOf(request) });
    const timings = await getServiceTimings(ctx, { services: services.map((p) => p.service) });
    const balanceUnits = await getBalance(ctx, { accountId: accountIdOf(request) });
    const category = queryText(request, 'category');
    // The refusal in the page's language, plus a way out when money is short.
    const error = refusal ? refusalSentence(refusal.refusal, request.web.lang) : undefined;
    const page = orderFormPage(request.web.page, services, {
      values,
      ...(error ? { error } : {}),
      isShortOfFunds: refusal?.code === 'insufficient_balance',
      balanceUnits,
      timings,
      ...(category ? { category } : {}),
    });
    return sendPage(reply, page, error ? 400 : 200);
  };
}

/** The order form, editing it again, and the confirmation page. */
function registerOrderFormRoutes(web: FastifyInstance, options: WebOptions, renderForm: FormRenderer): void {
  const { ctx } = options;
  const guard = { preHandler: requireAccount };

  web.get('/orders/new', guard, async (request, reply) => {
    const serviceId = integerParam({ service: queryText(request, 'service') }, 'service');
    return renderForm(request, reply, serviceId ? { serviceId } : {});
  });

  web.post('/orders/edit', guard, async (request, reply) => renderForm(request, reply, formValues(request)));

  web.post('/orders/preview', guard, async (request, reply) => {
    const values = formValues(request);
    try {
      const preview = await previewOrder(ctx, placeOptions(request, values));
      // One key per confirmation page: a double click or a resubmitted form places one order.
      const idempotencyKey = `web-${randomBytes(16).toString('hex')}`;
      return sendPage(reply, orderConfirmPage(request.web.page, preview, { values, idempotencyKey }));
    } catch (error) {
      if (isDomainError(error)) return renderForm(request, reply, values, error);
      throw error;
    }
  });
}

/** Placing the confirmed order. */
function registerPlaceOrderRoute(web: FastifyInstance, options: WebOptions, renderForm: FormRenderer): void {
  const { ctx } = options;
  const guard = { preHandler: requireAccount };

  /** The charge changed since it was shown (the tier moved at the hour): nothing was placed. */
  async function confirmAgain(
    request: FastifyRequest,
    reply: FastifyReply,
    values: OrderFormValues,
    idempotencyKey: string,
  ) {
    try {
      const preview = await previewOrder(ctx, placeOptions(request, values));
      const form = { values, idempotencyKey, hasChargeChanged: true };
      return sendPage(reply, orderConfirmPage(request.web.page, preview, form), 409);
    } catch (error) {
      if (isDomainError(error)) return renderForm(request, reply, values, error);
      throw error;
    }
  }

  web.post('/orders', guard, async (request, reply) => {
    const values = formValues(request);
    const idempotencyKey = formText(request, 'idempotency_key').slice(0, 100);
    const expectedChargeUnits = integerParam({ charge: formText(request, 'expected_charge') }, 'charge');
    if (request.web.session?.account.isEmailVerified === false) {
      return renderForm(request, reply, values, new DomainError('email_unverified'));
    }
    try {
      const placed = await placeOrder(ctx, {
        ...placeOptions(request, values),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(typeof expectedChargeUnits === 'number' ? { expectedChargeUnits } : {}),
      });
      return reply.redirect(`/orders?placed=${placed.orderId}`, 303);
    } catch (error) {
      if (isDomainError(error, 'charge_changed')) return confirmAgain(request, reply, values, idempotencyKey);
      if (isDomainError(error)) return renderForm(request, reply, values, error);
      throw error;
    }
  });
}

/** The list of the account's orders, and cancelling one. */
function registerOrderListRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const guard = { preHandler: requireAccount };

  web.get('/orders', guard, async (request, reply) => {
    const { t } = request.web.page;
    const search = queryText(request, 'q');
    const status = queryText(request, 'status');
    const result = await listCustomerOrders(ctx, {
      accountId: accountIdOf(request),
      search,
      status,
      page: pageNumber(request),
    });
    const placed = parseOrderId(queryText(request, 'placed'));
    const canceled = parseOrderId(queryText(request, 'canceled'));
    const info =
      placed !== undefined
        ? t.orders.placed(placed)
        : canceled !== undefined
          ? `${t.orders.canceled(canceled)}${queryText(request, 'changed') === '1' ? ` ${t.orders.refundRace}` : ''}`
          : undefined;
    return sendPage(
      reply,
      ordersPage(request.web.page, result, { search, status, ...(info ? { info } : {}) }),
    );
  });

  web.get<{ Params: { id: string } }>('/orders/:id/cancel', guard, async (request, reply) => {
    const orderId = parseOrderId(request.params.id);
    if (orderId === undefined) return sendError(reply, request, 404);
    const preview = await previewCancel(ctx, { accountId: accountIdOf(request), orderId });
    const status = preview.ok ? 200 : preview.reason === 'not_found' ? 404 : 409;
    return sendPage(reply, cancelOrderPage(request.web.page, preview), status);
  });

  web.post<{ Params: { id: string } }>('/orders/:id/cancel', guard, async (request, reply) => {
    const accountId = accountIdOf(request);
    const orderId = parseOrderId(request.params.id);
    if (orderId === undefined) return sendError(reply, request, 404);
    const outcome = await cancelOrder(ctx, { accountId, orderId, actor: `account:${accountId}` });
    if (!outcome.ok) {
      const preview = await previewCancel(ctx, { accountId, orderId });
      return sendPage(reply, cancelOrderPage(request.web.page, preview), preview.ok ? 409 : 404);
    }
    // The order page says what was refunded, and what the preview had shown when it differs (issue 9).
    const shown = integerParam({ shown: formText(request, 'expected_refund') }, 'shown');
    const isAsShown = typeof shown !== 'number' || shown === outcome.refundUnits;
    return reply.redirect(`/orders/${orderId}?canceled=1${isAsShown ? '' : `&shown=${shown}`}`, 303);
  });
}
