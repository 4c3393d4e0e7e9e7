import { upstreamBackendName } from '../domain/backends.js';
import { DomainError } from '../domain/errors.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findProviderByName, insertProvider } from '../storage/providers-repository.js';
import type { ProviderRow } from '../storage/schema.js';
import { isForbiddenProviderUrl } from '../upstream/provider-address.js';
import type { AppContext } from './context.js';
import { isUniqueViolation } from './database-errors.js';

/** What operators see of a provider: never its key, only the key's first characters. */
export interface ProviderView {
  name: string;
  url: string;
  key: string;
  backend: string;
}

export const PROVIDER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function providerView(provider: ProviderRow): ProviderView {
  return {
    name: provider.name,
    url: provider.url,
    key: `${provider.key_prefix}…`,
    backend: upstreamBackendName(provider.name),
  };
}

/** A key is shown by its first 4 characters at most, and never more than a third of it. */
export function keyPrefix(apiKey: string): string {
  return apiKey.slice(0, Math.min(4, Math.floor(apiKey.length / 3)));
}

/** http(s), no credentials, and (unless ALLOW_PRIVATE_PROVIDER_URLS) no internal address. */
async function validUrl(ctx: AppContext, text: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError('provider_url_invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainError('provider_url_invalid');
  }
  if (url.username || url.password) throw new DomainError('provider_url_credentials');
  if (await isForbiddenProviderUrl(url, ctx.providerNetwork)) throw new DomainError('provider_url_forbidden');
  return url.toString();
}

/** `inspiria provider add`: an upstream panel that speaks API v2, usable as `upstream:NAME`. */
export async function addProvider(
  ctx: AppContext,
  options: { name: string; url: string; apiKey: string; actor: string },
): Promise<ProviderView> {
  if (!PROVIDER_NAME.test(options.name)) {
    throw new DomainError('provider_name_invalid');
  }
  const url = await validUrl(ctx, options.url);
  const apiKey = options.apiKey.trim();
  if (apiKey.length < 8 || apiKey.length > 500 || /\s/.test(apiKey)) {
    throw new DomainError('provider_key_invalid');
  }
  const nowMs = ctx.clock.now();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      if (await findProviderByName(trx, options.name)) {
        throw new DomainError('provider_exists', { name: options.name });
      }
      await insertProvider(trx, {
        name: options.name,
        url,
        api_key: apiKey,
        key_prefix: keyPrefix(apiKey),
        created_at: nowMs,
        updated_at: nowMs,
      });
      // The audit names the provider and its URL, never its key.
      await appendAudit(trx, {
        actor: options.actor,
        action: 'provider.add',
        details: { name: options.name, url },
        createdAt: nowMs,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('provider_exists', { name: options.name });
    throw error;
  }
  return providerView((await findProviderByName(ctx.db, options.name)) as ProviderRow);
}
