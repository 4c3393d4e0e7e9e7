import { appendAudit } from '../storage/audit-repository.js';
import { listServicesOfProvider, updateProvider } from '../storage/providers-repository.js';
import type { Executor, ProviderRow, ServiceRow } from '../storage/schema.js';
import { updateService } from '../storage/services-repository.js';
import { fetchUpstreamServices } from '../upstream/upstream-client.js';
import { askProvider } from './ask-provider.js';
import type { AppContext } from './context.js';
import {
  type CatalogRefusal,
  insertImportedService,
  parseMarkup,
  upstreamFigures,
} from './import-provider-services.js';
import {
  type CatalogDifference,
  type CatalogEntry,
  compareCatalog,
  MAX_CATALOG_ENTRIES,
} from './provider-catalog.js';

/** Why a ticked service was left as it was. */
export type ImportSkipReason =
  | CatalogRefusal
  | 'not_in_catalog'
  | 'already_imported'
  | 'not_imported'
  | 'no_difference';

export interface ChosenImportResult {
  provider: string;
  /** Our new services, all inactive until the operator activates them. */
  created: number[];
  /** Our services the re-import's differences were applied to. */
  updated: number[];
  skipped: { upstreamId: string; reason: ImportSkipReason }[];
}

/** The ids as a set of short digit strings: anything else in a form or a command is dropped. */
function cleanIds(ids: readonly string[]): string[] {
  const clean = ids.map((id) => id.trim()).filter((id) => /^\d{1,15}$/.test(id));
  return [...new Set(clean)].slice(0, MAX_CATALOG_ENTRIES);
}

function createInactive(trx: Executor, provider: ProviderRow, entry: CatalogEntry, nowMs: number) {
  return insertImportedService(trx, {
    providerName: provider.name,
    service: entry,
    rateUnits: entry.ourRateUnits,
    isActive: false,
    nowMs,
  });
}

/** The differences applied to our service, audited field by field as an edit is. */
async function applyDifference(
  trx: Executor,
  options: { entry: CatalogEntry; difference: CatalogDifference; actor: string; nowMs: number },
): Promise<void> {
  const { entry, difference } = options;
  const patch: Parameters<typeof updateService>[2] = { updated_at: options.nowMs, ...upstreamFigures(entry) };
  const details: Record<string, unknown> = { serviceId: difference.serviceId };
  if (difference.rate) {
    patch.rate_units = difference.rate.ourToUnits;
    details.rateUnits = { from: difference.rate.ourFromUnits, to: difference.rate.ourToUnits };
  }
  if (difference.name) {
    patch.name = entry.name;
    details.name = { from: difference.ourName, to: entry.name };
  }
  if (difference.limits) {
    patch.min_quantity = entry.min;
    patch.max_quantity = entry.max;
    details.minQuantity = { from: difference.limits.minFrom, to: entry.min };
    details.maxQuantity = { from: difference.limits.maxFrom, to: entry.max };
  }
  await updateService(trx, difference.serviceId, patch);
  await appendAudit(trx, {
    actor: options.actor,
    action: 'service.update',
    details,
    createdAt: options.nowMs,
  });
}

interface Chosen {
  provider: ProviderRow;
  catalog: unknown[];
  markupBasisPoints: number;
  importIds: string[];
  applyIds: string[];
  actor: string;
}

async function importInTransaction(
  trx: Executor,
  chosen: Chosen,
  nowMs: number,
  result: ChosenImportResult,
): Promise<void> {
  // Taking the provider's row first makes a second confirm (a double click, two tabs) wait for
  // this one and then find the services imported: it imports nothing twice.
  await updateProvider(trx, chosen.provider.id, { updated_at: nowMs });
  const services: ServiceRow[] = await listServicesOfProvider(trx, chosen.provider.name);
  const terms = {
    markupBasisPoints: chosen.markupBasisPoints,
    eurRateMicros: chosen.provider.eur_rate_micros,
  };
  const comparison = compareCatalog(chosen.catalog, services, terms);
  const entries = new Map(comparison.entries.map((entry) => [entry.upstreamId, entry]));
  const differences = new Map(comparison.differences.map((d) => [d.upstreamId, d]));
  for (const upstreamId of chosen.importIds) {
    const entry = entries.get(upstreamId);
    if (!entry) result.skipped.push({ upstreamId, reason: 'not_in_catalog' });
    else if (entry.importedServiceId !== null)
      result.skipped.push({ upstreamId, reason: 'already_imported' });
    else result.created.push(await createInactive(trx, chosen.provider, entry, nowMs));
  }
  for (const upstreamId of chosen.applyIds) {
    const entry = entries.get(upstreamId);
    const difference = differences.get(upstreamId);
    if (!entry) result.skipped.push({ upstreamId, reason: 'not_in_catalog' });
    else if (entry.importedServiceId === null) result.skipped.push({ upstreamId, reason: 'not_imported' });
    else if (!difference) result.skipped.push({ upstreamId, reason: 'no_difference' });
    else {
      await applyDifference(trx, { entry, difference, actor: chosen.actor, nowMs });
      result.updated.push(difference.serviceId);
    }
  }
  if (result.created.length + result.updated.length === 0) return;
  await appendAudit(trx, {
    actor: chosen.actor,
    action: 'provider.import',
    details: {
      provider: chosen.provider.name,
      markupBasisPoints: chosen.markupBasisPoints,
      created: result.created,
      updated: result.updated,
    },
    createdAt: nowMs,
  });
}

/**
 * The confirm of a selective import: the services the operator ticked, checked again against
 * the catalog fetched now (never the form's copy), arrive inactive with a proposed link type;
 * the differences ticked for services imported before are applied. Audited.
 */
export async function importChosenServices(
  ctx: AppContext,
  options: {
    provider: string;
    markup: string;
    importIds: readonly string[];
    applyIds: readonly string[];
    timeoutMs: number;
    actor: string;
  },
): Promise<ChosenImportResult> {
  const typedMarkup = options.markup.trim() === '' ? undefined : parseMarkup(options.markup);
  const { provider, value: catalog } = await askProvider(
    ctx,
    { name: options.provider, timeoutMs: options.timeoutMs },
    fetchUpstreamServices,
  );
  const chosen: Chosen = {
    provider,
    catalog,
    markupBasisPoints: typedMarkup ?? provider.markup_basis_points,
    importIds: cleanIds(options.importIds),
    applyIds: cleanIds(options.applyIds),
    actor: options.actor,
  };
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const result: ChosenImportResult = { provider: provider.name, created: [], updated: [], skipped: [] };
    await importInTransaction(trx, chosen, nowMs, result);
    return result;
  });
}
