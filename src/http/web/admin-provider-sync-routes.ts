import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setProviderSettings } from '../../app/set-provider-settings.js';
import { syncProviderNow } from '../../app/sync-provider-now.js';
import { adminReportsMessages } from '../../web/i18n/admin-reports.js';
import type { Flash } from '../../web/pages/admin-common.js';
import { adminActor, attempt } from './admin-forms.js';
import { formText } from './form.js';
import type { WebOptions } from './web-context.js';

type RenderProviders = (request: FastifyRequest, reply: FastifyReply, extra: { flash?: Flash }) => unknown;

/** The provider's terms and "sync now" (issue 13), answered on the providers page. */
export function registerProviderSyncRoutes(
  admin: FastifyInstance,
  options: WebOptions,
  render: RenderProviders,
): void {
  const { ctx } = options;
  const name = (request: FastifyRequest) => String((request.params as { name?: string }).name ?? '');

  admin.post('/admin/providers/:name/settings', async (request, reply) => {
    const m = adminReportsMessages(request.web.page.lang).sync;
    const result = await attempt(request, () =>
      setProviderSettings(ctx, {
        provider: name(request),
        settings: {
          markup: formText(request, 'markup').slice(0, 20),
          marginFloor: formText(request, 'marginFloor').slice(0, 20),
          onLowMargin: formText(request, 'onLowMargin') === 'reprice' ? 'reprice' : 'pause',
          eurRate: formText(request, 'eurRate').slice(0, 20),
          lowBalance: formText(request, 'lowBalance').slice(0, 30),
        },
        actor: adminActor(request),
      }),
    );
    return render(request, reply, {
      flash: result.ok ? { kind: 'success', message: m.saved } : result.flash,
    });
  });

  admin.post('/admin/providers/:name/sync', async (request, reply) => {
    const m = adminReportsMessages(request.web.page.lang).sync;
    const result = await attempt(request, () =>
      syncProviderNow(ctx, { name: name(request), owner: `admin:${adminActor(request)}`, timeoutMs: 15_000 }),
    );
    if (!result.ok) return render(request, reply, { flash: result.flash });
    const flash: Flash =
      result.value.status === 'busy'
        ? { kind: 'info', message: m.busy }
        : result.value.status === 'unreachable'
          ? { kind: 'error', message: m.unreachable }
          : { kind: 'success', message: m.synced };
    return render(request, reply, { flash });
  });
}
