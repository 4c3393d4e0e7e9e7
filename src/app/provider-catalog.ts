import { isChargeRepresentable } from '../domain/pricing.js';
import type { ServiceRow } from '../storage/schema.js';
import {
  type CatalogRefusal,
  markedUpRateUnits,
  parseUpstreamService,
  type UpstreamService,
} from './import-provider-services.js';

/**
 * A provider's live catalog held against the services we imported from it: what a selective
 * import shows before anything is written, and what its confirm re-checks. Nothing the
 * upstream sent is trusted: each entry is parsed and capped, bad ones are refused with a code.
 */

/** The most entries one preview shows; the rest are counted, not listed (nor importable). */
export const MAX_CATALOG_ENTRIES = 2000;

/** One importable upstream service, with our rate at the markup. */
export interface CatalogEntry extends UpstreamService {
  ourRateUnits: number;
  /** Our service imported from it, when there is one. */
  importedServiceId: number | null;
}

export interface RefusedEntry {
  /** The upstream's id as it sent it, cut short; '?' when there was none. */
  label: string;
  name: string;
  reason: CatalogRefusal;
}

/** What applying a re-import would change on one of our services. */
export interface CatalogDifference {
  serviceId: number;
  upstreamId: string;
  ourName: string;
  isActive: boolean;
  rate?: { upstreamFrom: string | null; upstreamTo: string; ourFromUnits: number; ourToUnits: number };
  name?: { from: string; to: string };
  limits?: { minFrom: number; maxFrom: number; minTo: number; maxTo: number };
}

/** One of our services the upstream no longer lists. */
export interface GoneService {
  serviceId: number;
  upstreamId: string;
  name: string;
  isActive: boolean;
}

export interface CatalogComparison {
  entries: CatalogEntry[];
  refused: RefusedEntry[];
  differences: CatalogDifference[];
  gone: GoneService[];
  /** Entries beyond MAX_CATALOG_ENTRIES, neither shown nor importable. */
  leftOut: number;
}

function labelOf(entry: unknown): { label: string; name: string } {
  const fields = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
  const piece = (value: unknown, max: number) =>
    typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, max) : '';
  return { label: piece(fields.service, 20) || '?', name: piece(fields.name, 120) };
}

/** The entry as we would import it, or why it cannot be. */
export function checkEntry(
  entry: unknown,
  terms: { markupBasisPoints: number; eurRateMicros: number },
): (UpstreamService & { ourRateUnits: number }) | CatalogRefusal {
  const service = parseUpstreamService(entry);
  if (typeof service === 'string') return service;
  const ourRateUnits = markedUpRateUnits(service.upstreamRate, terms.markupBasisPoints, terms.eurRateMicros);
  if (ourRateUnits === undefined) return 'rate_invalid';
  if (!isChargeRepresentable(ourRateUnits, service.max)) return 'charge_too_large';
  return { ...service, ourRateUnits };
}

function differenceOf(service: ServiceRow, entry: CatalogEntry): CatalogDifference | undefined {
  const difference: CatalogDifference = {
    serviceId: service.id,
    upstreamId: entry.upstreamId,
    ourName: service.name,
    isActive: service.is_active === 1,
  };
  const ourRateUnits = Number(service.rate_units);
  if (service.upstream_rate !== entry.upstreamRate || ourRateUnits !== entry.ourRateUnits) {
    difference.rate = {
      upstreamFrom: service.upstream_rate,
      upstreamTo: entry.upstreamRate,
      ourFromUnits: ourRateUnits,
      ourToUnits: entry.ourRateUnits,
    };
  }
  const nameBefore = service.upstream_name ?? service.name;
  if (nameBefore !== entry.name) difference.name = { from: nameBefore, to: entry.name };
  const minFrom = Number(service.upstream_min ?? service.min_quantity);
  const maxFrom = Number(service.upstream_max ?? service.max_quantity);
  if (minFrom !== entry.min || maxFrom !== entry.max) {
    difference.limits = { minFrom, maxFrom, minTo: entry.min, maxTo: entry.max };
  }
  return difference.rate || difference.name || difference.limits ? difference : undefined;
}

/** The live catalog against our services from that provider (pure: no I/O). */
export function compareCatalog(
  catalog: unknown[],
  services: ServiceRow[],
  terms: { markupBasisPoints: number; eurRateMicros: number },
): CatalogComparison {
  const byUpstreamId = new Map(services.map((s) => [s.upstream_service_id ?? '', s]));
  const result: CatalogComparison = { entries: [], refused: [], differences: [], gone: [], leftOut: 0 };
  const seen = new Set<string>();
  // Ids the upstream still lists, readable or not: an unreadable entry is not a gone service.
  const listed = new Set<string>();
  for (const entry of catalog.slice(0, MAX_CATALOG_ENTRIES)) {
    const checked = checkEntry(entry, terms);
    if (typeof checked === 'string') {
      const label = labelOf(entry);
      listed.add(label.label);
      result.refused.push({ ...label, reason: checked });
      continue;
    }
    // A catalog listing one id twice: the first one counts, as the confirm reads it.
    if (seen.has(checked.upstreamId)) continue;
    seen.add(checked.upstreamId);
    const ours = byUpstreamId.get(checked.upstreamId);
    const row: CatalogEntry = { ...checked, importedServiceId: ours?.id ?? null };
    result.entries.push(row);
    const difference = ours ? differenceOf(ours, row) : undefined;
    if (difference) result.differences.push(difference);
  }
  result.leftOut = Math.max(0, catalog.length - MAX_CATALOG_ENTRIES);
  // Only a catalog read whole can say a service is gone.
  if (result.leftOut === 0) {
    for (const service of services) {
      const upstreamId = service.upstream_service_id ?? '';
      if (seen.has(upstreamId) || listed.has(upstreamId)) continue;
      result.gone.push({
        serviceId: service.id,
        upstreamId: service.upstream_service_id ?? '',
        name: service.name,
        isActive: service.is_active === 1,
      });
    }
  }
  return result;
}
