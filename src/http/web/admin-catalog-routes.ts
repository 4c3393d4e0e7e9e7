import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceRow } from '../../app/list-all-services.js';
import { getService, listAllServices } from '../../app/list-all-services.js';
import { listProviders } from '../../app/list-providers.js';
import { createService, type ServiceFields, updateServiceFields } from '../../app/save-service.js';
import { setServiceActive } from '../../app/set-service-active.js';
import { formatUnits } from '../../domain/money.js';
import { am, type Flash } from '../../web/pages/admin-common.js';
import {
  adminServiceFormPage,
  adminServicesPage,
  type ServiceFormState,
} from '../../web/pages/admin-services-pages.js';
import { adminActor, attempt, parseEuroText, parseWhole, pathId } from './admin-forms.js';
import { registerProviderRoutes } from './admin-provider-routes.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendError, sendPage } from './web-reply.js';

const NEW_SERVICE: ServiceFormState = {
  id: '',
  name: '',
  category: '',
  type: 'Default',
  linkType: 'post_url',
  rate: '',
  min: '',
  max: '',
  canCancel: true,
  isActive: true,
  backend: 'operator',
  isDripfeed: false,
  descriptionIt: '',
  descriptionEn: '',
  cost: '',
};

function stateOf(service: ServiceRow): ServiceFormState {
  return {
    id: String(service.id),
    name: service.name,
    category: service.category,
    type: service.type,
    linkType: service.link_type,
    rate: formatUnits(Number(service.rate_units)),
    min: String(service.min_quantity),
    max: String(service.max_quantity),
    canCancel: service.can_cancel === 1,
    isActive: service.is_active === 1,
    backend: service.backend,
    isDripfeed: service.is_dripfeed === 1,
    descriptionIt: service.description_it ?? '',
    descriptionEn: service.description_en ?? '',
    cost: service.cost_per_1000_units === null ? '' : formatUnits(Number(service.cost_per_1000_units)),
  };
}

function stateFromForm(request: FastifyRequest): ServiceFormState {
  const text = (name: string, max = 200) => formText(request, name).slice(0, max);
  return {
    id: text('id', 15),
    name: text('name'),
    category: text('category', 100),
    type: text('type') === 'Custom Comments' ? 'Custom Comments' : 'Default',
    linkType: text('linkType', 20),
    rate: text('rate', 40),
    min: text('min', 15),
    max: text('max', 15),
    canCancel: formText(request, 'canCancel') === '1',
    isActive: formText(request, 'isActive') === '1',
    backend: text('backend', 80),
    isDripfeed: formText(request, 'isDripfeed') === '1',
    descriptionIt: text('descriptionIt', 2000),
    descriptionEn: text('descriptionEn', 2000),
    cost: text('cost', 40),
  };
}

/** The typed fields as the use case takes them, or the first problem, in the admin's language. */
function fieldsFrom(request: FastifyRequest, state: ServiceFormState): ServiceFields | string {
  const m = am(request.web.page).services;
  const rateUnits = parseEuroText(state.rate);
  if (rateUnits === undefined) return m.badRate;
  const minQuantity = parseWhole(state.min);
  const maxQuantity = parseWhole(state.max);
  if (minQuantity === undefined || maxQuantity === undefined) return m.badNumber;
  const costPer1000Units = state.cost.trim() === '' ? null : parseEuroText(state.cost);
  if (costPer1000Units === undefined) return m.badCost;
  return {
    name: state.name,
    category: state.category,
    type: state.type === 'Custom Comments' ? 'Custom Comments' : 'Default',
    linkType: state.linkType,
    rateUnits,
    minQuantity,
    maxQuantity,
    canCancel: state.canCancel,
    isActive: state.isActive,
    backend: state.backend,
    isDripfeed: state.isDripfeed,
    descriptionIt: state.descriptionIt,
    descriptionEn: state.descriptionEn,
    costPer1000Units,
  };
}

function servicesFlash(request: FastifyRequest): Flash | undefined {
  const m = am(request.web.page).services;
  const done = queryText(request, 'done');
  const id = parseWhole(queryText(request, 'id')) ?? 0;
  const messages: Record<string, string> = {
    created: m.created(id),
    saved: m.saved,
    activated: m.activated,
    deactivated: m.deactivated,
  };
  return messages[done] ? { kind: 'success', message: messages[done] } : undefined;
}

/** The service form, with the providers' backends to choose from; a refusal answers 400. */
async function renderServiceForm(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WebOptions,
  form: { serviceId?: number; state: ServiceFormState; flash?: Flash },
) {
  const providers = await listProviders(options.ctx);
  return sendPage(
    reply,
    adminServiceFormPage(request.web.page, { ...form, providers }),
    form.flash?.kind === 'error' ? 400 : 200,
  );
}

/** The service form with these options bound, for the pages and the actions alike. */
function serviceFormRenderer(options: WebOptions) {
  return (request: FastifyRequest, reply: FastifyReply, form: Parameters<typeof renderServiceForm>[3]) =>
    renderServiceForm(request, reply, options, form);
}

function registerServicePages(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const renderForm = serviceFormRenderer(options);

  admin.get('/admin/services', async (request, reply) => {
    const flash = servicesFlash(request);
    return sendPage(
      reply,
      adminServicesPage(request.web.page, await listAllServices(ctx), flash ? { flash } : {}),
    );
  });

  admin.get('/admin/services/new', async (request, reply) =>
    renderForm(request, reply, { state: NEW_SERVICE }),
  );

  admin.get('/admin/services/:id', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const found = await attempt(request, () => getService(ctx, { serviceId: id }));
    if (!found.ok) return sendError(reply, request, 404);
    return renderForm(request, reply, { serviceId: id, state: stateOf(found.value) });
  });
}

function registerServiceActions(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const renderForm = serviceFormRenderer(options);

  admin.post('/admin/services', async (request, reply) => {
    const state = stateFromForm(request);
    const fields = fieldsFrom(request, state);
    if (typeof fields === 'string')
      return renderForm(request, reply, { state, flash: { kind: 'error', message: fields } });
    const id = state.id.trim() === '' ? undefined : parseWhole(state.id);
    if (state.id.trim() !== '' && (id === undefined || id < 1)) {
      return renderForm(request, reply, {
        state,
        flash: { kind: 'error', message: am(request.web.page).services.badId },
      });
    }
    const result = await attempt(request, () =>
      createService(ctx, { ...(id === undefined ? {} : { id }), fields, actor: adminActor(request) }),
    );
    if (!result.ok) return renderForm(request, reply, { state, flash: result.flash });
    return reply.redirect(`/admin/services?done=created&id=${result.value.id}`, 303);
  });

  admin.post('/admin/services/:id', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const state = stateFromForm(request);
    const fields = fieldsFrom(request, state);
    if (typeof fields === 'string') {
      return renderForm(request, reply, { serviceId: id, state, flash: { kind: 'error', message: fields } });
    }
    const result = await attempt(request, () =>
      updateServiceFields(ctx, { id, fields, actor: adminActor(request) }),
    );
    if (!result.ok) {
      if (result.notFound) return sendError(reply, request, 404);
      return renderForm(request, reply, { serviceId: id, state, flash: result.flash });
    }
    return reply.redirect('/admin/services?done=saved', 303);
  });

  admin.post('/admin/services/:id/active', async (request, reply) => {
    const id = await pathId(request, reply);
    if (id === undefined) return;
    const isActive = formText(request, 'active') === '1';
    const result = await attempt(request, () =>
      setServiceActive(ctx, { serviceId: id, isActive, actor: adminActor(request) }),
    );
    if (!result.ok) return sendError(reply, request, result.notFound ? 404 : 400, result.flash.message);
    return reply.redirect(`/admin/services?done=${isActive ? 'activated' : 'deactivated'}`, 303);
  });
}

export function registerAdminCatalogRoutes(admin: FastifyInstance, options: WebOptions): void {
  registerServicePages(admin, options);
  registerServiceActions(admin, options);
  registerProviderRoutes(admin, options);
}
