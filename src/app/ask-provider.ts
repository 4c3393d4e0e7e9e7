import { DomainError } from '../domain/errors.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { ProviderRow } from '../storage/schema.js';
import type { UpstreamEndpoint, UpstreamResult } from '../upstream/upstream-client.js';
import type { AppContext } from './context.js';

/**
 * One operator request to a registered upstream panel (balance, services): the provider by
 * name, the call, and a refusal when the provider is unknown or does not answer. The refusal's
 * `reason` is the kind of failure only: the page shows a fixed sentence for it, so whatever the
 * URL reaches, its text and status never come back to the admin. The message (for the CLI and
 * logs) keeps the detail.
 */
export async function askProvider<T>(
  ctx: AppContext,
  options: { name: string; timeoutMs: number },
  call: (endpoint: UpstreamEndpoint) => Promise<UpstreamResult<T>>,
): Promise<{ provider: ProviderRow; value: T }> {
  const provider = await findProviderByName(ctx.db, options.name);
  if (!provider) throw new DomainError('provider_not_found', { name: options.name });
  const reply = await call({
    url: provider.url,
    apiKey: provider.api_key,
    timeoutMs: options.timeoutMs,
    network: ctx.providerNetwork,
  });
  if (!reply.ok) {
    // The page shows a fixed sentence per reason; only the CLI and the logs quote the detail.
    const { reason, message: detail } = reply.failure;
    throw new DomainError('provider_call_failed', { provider: provider.name, reason, detail });
  }
  return { provider, value: reply.value };
}
