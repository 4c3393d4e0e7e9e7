import { listProviderRows } from '../storage/providers-repository.js';
import { type ProviderView, providerView } from './add-provider.js';
import type { AppContext } from './context.js';

/** `inspiria provider list`: the registered upstream panels, keys shown by prefix only. */
export async function listProviders(ctx: AppContext): Promise<ProviderView[]> {
  return (await listProviderRows(ctx.db)).map(providerView);
}
