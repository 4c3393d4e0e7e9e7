import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { creditAccount } from '../../app/credit-account.js';
import { getAdminOverview } from '../../app/get-admin-overview.js';
import { getCustomerDetail } from '../../app/get-customer-detail.js';
import { listAuditLog } from '../../app/list-audit-log.js';
import { listCustomers } from '../../app/list-customers.js';
import { listCustomerPayments } from '../../app/list-payments.js';
import { listProviderSyncs } from '../../app/list-provider-syncs.js';
import { setAccountStatus } from '../../app/set-account-status.js';
import { setApiProfile } from '../../app/set-api-profile.js';
import { verifyLedger } from '../../app/verify-ledger.js';
import { isApiProfile } from '../../domain/api-profile.js';
import { apiProfileMessages } from '../../web/i18n/api-profile.js';
import { formatMoney } from '../../web/i18n/format.js';
import { adminAuditPage } from '../../web/pages/admin-audit-page.js';
import { am, type Flash } from '../../web/pages/admin-common.js';
import {
  adminCustomerPage,
  adminCustomersPage,
  type CreditFormState,
} from '../../web/pages/admin-customers-pages.js';
import { adminOverviewPage } from '../../web/pages/admin-overview-page.js';
import { registerAdminCatalogRoutes } from './admin-catalog-routes.js';
import { adminActor, attempt, parseEuroText, parseWhole, pathId } from './admin-forms.js';
import { registerAdminOrderRoutes } from './admin-order-routes.js';
import { registerAdminPaymentRoutes } from './admin-payment-routes.js';
import { registerAdminReportRoutes } from './admin-report-routes.js';
import { registerAdminSupportRoutes } from './admin-support-routes.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireAdmin, sendError, sendPage } from './web-reply.js';

/** The flash a customer page shows after the redirect that follows a successful action. */
function customerFlash(request: FastifyRequest): Flash | undefined {
  const { page } = request.web;
  const m = am(page).customers;
  const done = queryText(request, 'done');
  if (done === 'credit') {
    const before = parseWhole(queryText(request, 'before')) ?? 0;
    const after = parseWhole(queryText(request, 'after')) ?? 0;
    return {
      kind: 'success',
      message: m.credited(formatMoney(page.lang, before), formatMoney(page.lang, after)),
    };
  }
  if (done === 'suspended') return { kind: 'success', message: m.suspended };
  if (done === 'active') return { kind: 'success', message: m.unsuspended };
  const profile = queryText(request, 'profile');
  if (done === 'api-profile' && isApiProfile(profile))
    return { kind: 'success', message: apiProfileMessages(page.lang).saved(profile) };
  return undefined;
}

async function renderCustomer(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WebOptions,
  accountId: number,
  extra: { flash?: Flash; credit?: CreditFormState; status?: number } = {},
) {
  const found = await attempt(request, () => getCustomerDetail(options.ctx, { accountId }));
  if (!found.ok) return sendError(reply, request, 404);
  const flash = extra.flash ?? customerFlash(request);
  const payments = await listCustomerPayments(options.ctx, { accountId });
  return sendPage(
    reply,
    adminCustomerPage(request.web.page, found.value, {
      payments: payments.rows.slice(0, 10),
      ...(flash ? { flash } : {}),
      ...(extra.credit ? { credit: extra.credit } : {}),
    }),
    extra.status ?? 200,
  );
}

function registerOverviewRoutes(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.get('/admin', async (request, reply) =>
    sendPage(
      reply,
      adminOverviewPage(
        request.web.page,
        await getAdminOverview(ctx),
        undefined,
        await listProviderSyncs(ctx),
      ),
    ),
  );

  // A POST: it reads every ledger entry, which no prefetched link should start.
  admin.post('/admin/ledger/verify', async (request, reply) =>
    sendPage(
      reply,
      adminOverviewPage(request.web.page, await getAdminOverview(ctx), await verifyLedger(ctx)),
    ),
  );

  admin.get('/admin/audit', async (request, reply) => {
    const filter = {
      actor: queryText(request, 'actor').slice(0, 200),
      action: queryText(request, 'action').slice(0, 100),
      account: queryText(request, 'account').slice(0, 15),
    };
    const accountId = parseWhole(filter.account);
    const result = await listAuditLog(ctx, {
      actor: filter.actor,
      action: filter.action,
      ...(accountId === undefined ? {} : { accountId }),
      page: parseWhole(queryText(request, 'page')) ?? 1,
    });
    return sendPage(reply, adminAuditPage(request.web.page, result, filter));
  });
}

function registerCustomerRoutes(admin: FastifyInstance, options: WebOptions): void {
  registerCustomerPages(admin, options);
  registerCustomerCreditRoute(admin, options);
  registerCustomerSettingsRoutes(admin, options);
}

/** The list of customers and one customer's page. */
function registerCustomerPages(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.get('/admin/customers', async (request, reply) => {
    const filter = { search: queryText(request, 'q').slice(0, 200), status: queryText(request, 'status') };
    const result = await listCustomers(ctx, { ...filter, page: parseWhole(queryText(request, 'page')) ?? 1 });
    return sendPage(reply, adminCustomersPage(request.web.page, result, filter));
  });

  admin.get('/admin/customers/:id', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id !== undefined) return renderCustomer(request, reply, options, id);
  });
}

/** Crediting or debiting a customer's balance, with a reason. */
function registerCustomerCreditRoute(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.post('/admin/customers/:id/credit', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const m = am(request.web.page).customers;
    const state = {
      amount: formText(request, 'amount').slice(0, 40),
      direction: formText(request, 'direction') === 'debit' ? 'debit' : 'credit',
      reason: formText(request, 'reason').slice(0, 500),
    };
    const units = parseEuroText(state.amount);
    const refuse = (message: string) =>
      renderCustomer(request, reply, options, id, {
        flash: { kind: 'error', message },
        credit: state,
        status: 400,
      });
    if (units === undefined || units === 0) return refuse(m.badAmount);
    if (state.reason.trim() === '') return refuse(m.missingReason);
    const result = await attempt(request, () =>
      creditAccount(ctx, {
        accountId: id,
        amountUnits: state.direction === 'debit' ? -units : units,
        reason: state.reason,
        actor: adminActor(request),
      }),
    );
    if (!result.ok) {
      if (result.notFound) return sendError(reply, request, 404);
      return renderCustomer(request, reply, options, id, { flash: result.flash, credit: state, status: 400 });
    }
    const { balanceBeforeUnits: before, balanceAfterUnits: after } = result.value;
    return reply.redirect(`/admin/customers/${id}?done=credit&before=${before}&after=${after}`, 303);
  });
}

/** A customer's API profile and status (suspending and reactivating). */
function registerCustomerSettingsRoutes(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.post('/admin/customers/:id/api-profile', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const profile = formText(request, 'profile');
    if (!isApiProfile(profile)) return sendError(reply, request, 400);
    const result = await attempt(request, () =>
      setApiProfile(ctx, { accountId: id, profile, actor: adminActor(request) }),
    );
    if (!result.ok) return sendError(reply, request, 404);
    return reply.redirect(`/admin/customers/${id}?done=api-profile&profile=${profile}`, 303);
  });

  admin.post('/admin/customers/:id/status', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const status = formText(request, 'status');
    if (status !== 'active' && status !== 'suspended') return sendError(reply, request, 400);
    // An admin who suspends themselves is locked out of the page that would undo it.
    if (status === 'suspended' && id === request.web.session?.account.id) {
      return renderCustomer(request, reply, options, id, {
        flash: { kind: 'error', message: am(request.web.page).customers.selfSuspend },
        status: 400,
      });
    }
    const result = await attempt(request, () =>
      setAccountStatus(ctx, { accountId: id, status, actor: adminActor(request) }),
    );
    if (!result.ok) return sendError(reply, request, 404);
    return reply.redirect(`/admin/customers/${id}?done=${status}`, 303);
  });
}

/**
 * Every /admin page and action, in a child plugin whose preHandler lets only admins through
 * (a customer gets 403, decided on the server). The web plugin's CSRF check runs before it.
 */
export function registerAdminRoutes(web: FastifyInstance, options: WebOptions): void {
  web.register(async (admin) => {
    admin.addHook('preHandler', requireAdmin);
    registerOverviewRoutes(admin, options);
    registerCustomerRoutes(admin, options);
    registerAdminOrderRoutes(admin, options);
    registerAdminCatalogRoutes(admin, options);
    registerAdminReportRoutes(admin, options);
    await registerAdminPaymentRoutes(admin, options);
    registerAdminSupportRoutes(admin, options);
  });
}
