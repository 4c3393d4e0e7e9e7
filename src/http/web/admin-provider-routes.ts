import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addProvider, PROVIDER_NAME } from '../../app/add-provider.js';
import { getProviderBalance } from '../../app/get-provider-balance.js';
import { listProviderSyncs } from '../../app/list-provider-syncs.js';
import { listProviders } from '../../app/list-providers.js';
import { am, type Flash } from '../../web/pages/admin-common.js';
import { adminProvidersPage, type ProviderFormState } from '../../web/pages/admin-providers-page.js';
import { adminActor, attempt, parseWhole } from './admin-forms.js';
import { registerProviderImportRoutes } from './admin-import-routes.js';
import { registerProviderSyncRoutes } from './admin-provider-sync-routes.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendPage } from './web-reply.js';

/** How long the admin's page waits for an upstream panel (the engine's default is 15 s). */
const PROVIDER_TIMEOUT_MS = 15_000;

type RenderProviders = (
  request: FastifyRequest,
  reply: FastifyReply,
  extra?: { flash?: Flash; form?: ProviderFormState },
) => Promise<unknown>;

/** The providers page with its list and the latest syncs; an error flash makes it a 400. */
function providersRenderer(ctx: WebOptions['ctx']): RenderProviders {
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { flash?: Flash; form?: ProviderFormState } = {},
  ) =>
    sendPage(
      reply,
      adminProvidersPage(request.web.page, await listProviders(ctx), {
        ...extra,
        syncs: await listProviderSyncs(ctx),
      }),
      extra.flash?.kind === 'error' ? 400 : 200,
    );
}

const providerName = (request: FastifyRequest) => String((request.params as { name?: string }).name ?? '');

/** The upstream panels: adding one, its balance, importing its services, its terms and syncs. */
export function registerProviderRoutes(admin: FastifyInstance, options: WebOptions): void {
  const render = providersRenderer(options.ctx);
  registerProviderSyncRoutes(admin, options, render);
  registerProviderListRoutes(admin, options, render);
  registerProviderCallRoutes(admin, options, render);
  registerProviderImportRoutes(admin, options, render);
}

/** The providers page and the form that adds one. */
function registerProviderListRoutes(
  admin: FastifyInstance,
  options: WebOptions,
  render: RenderProviders,
): void {
  const { ctx } = options;

  admin.get('/admin/providers', async (request, reply) => {
    const m = am(request.web.page).providers;
    const done = queryText(request, 'done');
    const count = (name: string) => parseWhole(queryText(request, name)) ?? 0;
    const flash: Flash | undefined =
      // Only a provider-shaped name is echoed: a crafted link cannot put a sentence on the page.
      done === 'added' && PROVIDER_NAME.test(queryText(request, 'name'))
        ? { kind: 'success', message: m.addedNotice(queryText(request, 'name')) }
        : done === 'imported'
          ? { kind: 'success', message: m.imported(count('created'), count('updated'), count('skipped')) }
          : undefined;
    return render(request, reply, flash ? { flash } : {});
  });

  admin.post('/admin/providers', async (request, reply) => {
    const form = {
      name: formText(request, 'name').slice(0, 64).trim(),
      url: formText(request, 'url').slice(0, 500).trim(),
    };
    const result = await attempt(request, () =>
      addProvider(ctx, {
        ...form,
        apiKey: formText(request, 'key').slice(0, 600),
        actor: adminActor(request),
      }),
    );
    if (!result.ok) return render(request, reply, { flash: result.flash, form });
    return reply.redirect(`/admin/providers?done=added&name=${encodeURIComponent(result.value.name)}`, 303);
  });
}

/** The call to an upstream panel for its balance (importing is admin-import-routes.ts). */
function registerProviderCallRoutes(
  admin: FastifyInstance,
  options: WebOptions,
  render: RenderProviders,
): void {
  const { ctx } = options;

  // A POST although it only reads: it calls the upstream panel, which a prefetched link must not do.
  admin.post('/admin/providers/:name/balance', async (request, reply) => {
    const m = am(request.web.page).providers;
    const result = await attempt(request, () =>
      getProviderBalance(ctx, { name: providerName(request), timeoutMs: PROVIDER_TIMEOUT_MS }),
    );
    if (!result.ok) return render(request, reply, { flash: result.flash });
    const { name, balance, currency } = result.value;
    return render(request, reply, { flash: { kind: 'info', message: m.balanceIs(name, balance, currency) } });
  });
}
