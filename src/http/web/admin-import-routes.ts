import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { activateImportedServices } from '../../app/activate-imported-services.js';
import { importChosenServices } from '../../app/import-chosen-services.js';
import { listInactiveProviderServices } from '../../app/list-provider-services.js';
import { previewProviderImport } from '../../app/preview-provider-import.js';
import { setServiceActive } from '../../app/set-service-active.js';
import { adminImportMessages } from '../../web/i18n/admin-import.js';
import type { Flash } from '../../web/pages/admin-common.js';
import { adminImportedPage, adminImportPreviewPage } from '../../web/pages/admin-import-page.js';
import { adminActor, attempt, parseWhole } from './admin-forms.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendPage } from './web-reply.js';

/** How long the admin's page waits for an upstream panel (the engine's default is 15 s). */
const PROVIDER_TIMEOUT_MS = 15_000;
/** The most ids one form may send: as many as a preview lists. */
const MAX_IDS = 2000;

type RenderProviders = (
  request: FastifyRequest,
  reply: FastifyReply,
  extra: { flash?: Flash },
) => Promise<unknown>;

const providerName = (request: FastifyRequest) => String((request.params as { name?: string }).name ?? '');
const importPath = (request: FastifyRequest) =>
  `/admin/providers/${encodeURIComponent(providerName(request))}`;

/** A repeated form field (tick boxes) as its short texts; one value or none are lists too. */
function formList(request: FastifyRequest, name: string): string[] {
  const value = ((request.body ?? {}) as Record<string, unknown>)[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string' && v.length <= 20).slice(0, MAX_IDS);
}

const wholeIds = (texts: string[]) =>
  texts.map((text) => parseWhole(text)).filter((id): id is number => id !== undefined && id > 0);

/**
 * The selective import (issue 13): the live catalog as a preview, the confirm of what was
 * ticked, and the activation of what arrived inactive. Every call to the upstream is a POST,
 * as a prefetched link must not make one.
 */
export function registerProviderImportRoutes(
  admin: FastifyInstance,
  options: WebOptions,
  render: RenderProviders,
): void {
  const { ctx } = options;

  admin.post('/admin/providers/:name/import', async (request, reply) => {
    const result = await attempt(request, () =>
      previewProviderImport(ctx, {
        provider: providerName(request),
        markup: formText(request, 'markup').slice(0, 20),
        timeoutMs: PROVIDER_TIMEOUT_MS,
      }),
    );
    if (!result.ok) return render(request, reply, { flash: result.flash });
    return sendPage(reply, adminImportPreviewPage(request.web.page, result.value));
  });

  admin.post('/admin/providers/:name/import/confirm', async (request, reply) => {
    const m = adminImportMessages(request.web.page.lang);
    const importIds = formList(request, 'service');
    const applyIds = formList(request, 'apply');
    if (importIds.length + applyIds.length === 0) {
      return render(request, reply, { flash: { kind: 'error', message: m.nothingChosen } });
    }
    const result = await attempt(request, () =>
      importChosenServices(ctx, {
        provider: providerName(request),
        markup: formText(request, 'markup').slice(0, 20),
        importIds,
        applyIds,
        timeoutMs: PROVIDER_TIMEOUT_MS,
        actor: adminActor(request),
      }),
    );
    if (!result.ok) return render(request, reply, { flash: result.flash });
    const { created, updated, skipped } = result.value;
    return reply.redirect(
      `${importPath(request)}/imported?created=${created.length}&updated=${updated.length}&skipped=${skipped.length}`,
      303,
    );
  });

  registerActivationRoutes(admin, options);
}

function importedFlash(request: FastifyRequest): Flash | undefined {
  const m = adminImportMessages(request.web.page.lang);
  const count = (name: string) => parseWhole(queryText(request, name), 1_000_000);
  const [created, updated, skipped] = [count('created'), count('updated'), count('skipped')];
  if (created !== undefined && updated !== undefined && skipped !== undefined) {
    return { kind: 'success', message: m.done(created, updated, skipped) };
  }
  const activated = count('activated');
  if (activated !== undefined) return { kind: 'success', message: m.activated(activated) };
  const paused = count('paused');
  return paused === undefined ? undefined : { kind: 'success', message: m.paused(paused) };
}

/** The services awaiting activation, their activation, and pausing those gone upstream. */
function registerActivationRoutes(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  const renderImported = async (request: FastifyRequest, reply: FastifyReply, flash?: Flash) => {
    const services = await listInactiveProviderServices(ctx, { provider: providerName(request) });
    const page = adminImportedPage(request.web.page, providerName(request), services, flash ? { flash } : {});
    return sendPage(reply, page, flash?.kind === 'error' ? 400 : 200);
  };

  admin.get('/admin/providers/:name/imported', async (request, reply) =>
    renderImported(request, reply, importedFlash(request)),
  );

  admin.post('/admin/providers/:name/activate', async (request, reply) => {
    const only = parseWhole(formText(request, 'only'));
    const serviceIds = only === undefined ? wholeIds(formList(request, 'service')) : [only];
    if (serviceIds.length === 0) {
      const message = adminImportMessages(request.web.page.lang).nothingChosen;
      return renderImported(request, reply, { kind: 'error', message });
    }
    const chosen = serviceIds.map((id) => [id, formText(request, `linkType-${id}`).slice(0, 20)] as const);
    const linkTypes = new Map(chosen.filter(([, linkType]) => linkType !== ''));
    const result = await attempt(request, () =>
      activateImportedServices(ctx, { serviceIds, linkTypes, actor: adminActor(request) }),
    );
    if (!result.ok) return renderImported(request, reply, result.flash);
    return reply.redirect(`${importPath(request)}/imported?activated=${result.value.length}`, 303);
  });

  admin.post('/admin/providers/:name/pause', async (request, reply) => {
    const serviceIds = wholeIds(formList(request, 'service'));
    const result = await attempt(request, async () => {
      for (const serviceId of serviceIds) {
        await setServiceActive(ctx, { serviceId, isActive: false, actor: adminActor(request) });
      }
    });
    if (!result.ok) return renderImported(request, reply, result.flash);
    return reply.redirect(`${importPath(request)}/imported?paused=${serviceIds.length}`, 303);
  });
}
