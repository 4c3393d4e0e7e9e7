import { fetchUpstreamBalance } from '../upstream/upstream-client.js';
import { askProvider } from './ask-provider.js';
import type { AppContext } from './context.js';

/** `inspiria provider balance`: our balance at the upstream panel, as it reports it. */
export async function getProviderBalance(
  ctx: AppContext,
  options: { name: string; timeoutMs: number },
): Promise<{ name: string; balance: string; currency: string }> {
  const { provider, value } = await askProvider(ctx, options, fetchUpstreamBalance);
  return { name: provider.name, ...value };
}
