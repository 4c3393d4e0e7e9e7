import { DomainError } from '../domain/errors.js';
import { fetchUpstreamBalance } from '../engine/upstream-client.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { AppContext } from './context.js';

/** `inspiria provider balance`: our balance at the upstream panel, as it reports it. */
export async function getProviderBalance(
  ctx: AppContext,
  options: { name: string; timeoutMs: number },
): Promise<{ name: string; balance: string; currency: string }> {
  const provider = await findProviderByName(ctx.db, options.name);
  if (!provider) throw new DomainError('not_found', {}, `provider ${options.name} does not exist`);
  const reply = await fetchUpstreamBalance({
    url: provider.url,
    apiKey: provider.api_key,
    timeoutMs: options.timeoutMs,
  });
  if (!reply.ok) {
    throw new DomainError(
      'invalid_input',
      {},
      `provider ${options.name} did not answer: ${reply.failure.message}`,
    );
  }
  return { name: provider.name, ...reply.value };
}
