import { DomainError } from '../domain/errors.js';
import type { UpstreamEndpoint, UpstreamResult } from '../engine/upstream-client.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { ProviderRow } from '../storage/schema.js';
import type { AppContext } from './context.js';

/**
 * One operator request to a registered upstream panel (balance, services): the provider by
 * name, the call, and a clear refusal when the provider is unknown or does not answer.
 */
export async function askProvider<T>(
  ctx: AppContext,
  options: { name: string; timeoutMs: number },
  call: (endpoint: UpstreamEndpoint) => Promise<UpstreamResult<T>>,
): Promise<{ provider: ProviderRow; value: T }> {
  const provider = await findProviderByName(ctx.db, options.name);
  if (!provider) throw new DomainError('provider_not_found', { name: options.name });
  const reply = await call({ url: provider.url, apiKey: provider.api_key, timeoutMs: options.timeoutMs });
  if (!reply.ok) {
    const { kind, message: detail } = reply.failure;
    throw new DomainError('provider_unreachable', { name: provider.name, kind, detail });
  }
  return { provider, value: reply.value };
}
