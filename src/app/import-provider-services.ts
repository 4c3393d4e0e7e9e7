import { upstreamBackendName } from '../domain/backends.js';
import { DomainError } from '../domain/errors.js';
import { isLinkType, type LinkType } from '../domain/link-types.js';
import { MAX_UNITS } from '../domain/money.js';
import { EUR_RATE_SCALE } from '../domain/order-cost.js';
import { isChargeRepresentable } from '../domain/pricing.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findImportedService } from '../storage/providers-repository.js';
import type { Executor } from '../storage/schema.js';
import { insertService, nextServiceId, updateService } from '../storage/services-repository.js';
import { fetchUpstreamServices, wholeNumber } from '../upstream/upstream-client.js';
import { askProvider } from './ask-provider.js';
import type { AppContext } from './context.js';
import { type ServiceFields, validateServiceFields } from './save-service.js';

export interface ImportResult {
  provider: string;
  created: number[];
  updated: number[];
  skipped: { upstreamService: string; reason: CatalogRefusal }[];
}

/** Why an upstream catalog entry cannot become one of our services (shown, never imported). */
export type CatalogRefusal =
  | 'not_object'
  | 'fields_missing'
  | 'type_unsupported'
  | 'range_invalid'
  | 'rate_invalid'
  | 'charge_too_large';

export interface UpstreamService {
  upstreamId: string;
  name: string;
  category: string;
  type: 'Default' | 'Custom Comments';
  upstreamRate: string;
  min: number;
  max: number;
  canCancel: boolean;
  /** What the upstream says it offers besides plain orders: shown to the operator only. */
  isDripfeed: boolean;
  isRefill: boolean;
  description: string;
}

const MAX_QUANTITY = 100_000_000;

/** The markup in basis points: "30" is 3000, "12.5" is 1250; 0 to 1000%. */
export function parseMarkup(text: string): number {
  const match = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim());
  const basisPoints = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : Number.NaN;
  if (!(basisPoints >= 0 && basisPoints <= 100_000)) {
    throw new DomainError('markup_invalid');
  }
  return basisPoints;
}

/**
 * Our rate: the upstream rate × the provider's EUR rate × (1 + markup), rounded half up to
 * 0.0001 EUR. Computed exactly on the decimal text (BigInt), so it is rounded once.
 */
export function markedUpRateUnits(
  upstreamRate: string,
  markupBasisPoints: number,
  eurRateMicros = EUR_RATE_SCALE,
): number | undefined {
  const match = /^(\d{1,12})(?:\.(\d{1,12}))?$/.exec(upstreamRate.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const numerator =
    BigInt(`${match[1]}${fraction}`) * 10_000n * BigInt(10_000 + markupBasisPoints) * BigInt(eurRateMicros);
  const denominator = 10n ** BigInt(fraction.length) * 10_000n * BigInt(EUR_RATE_SCALE);
  const units = Number((2n * numerator + denominator) / (2n * denominator));
  return units <= MAX_UNITS ? units : undefined;
}

/** contract §5: the description's "Link type: X" when present, else what the name and category say. */
export function importedLinkType(description: string, category: string, name: string): LinkType {
  const stated = /link type:\s*([a-z_]+)/i.exec(description)?.[1]?.toLowerCase();
  if (stated && isLinkType(stated)) return stated;
  const text = `${category} ${name}`;
  if (/reel/i.test(text)) return 'reel_url';
  if (/follow|stor(y|ies)|profile/i.test(text)) return 'username';
  return 'post_url';
}

function text(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed.slice(0, maxLength);
}

const isYes = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true';

/** One entry of an upstream `services` answer, checked; a refusal code says why it is refused. */
export function parseUpstreamService(entry: unknown): UpstreamService | CatalogRefusal {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'not_object';
  const fields = entry as Record<string, unknown>;
  const id = wholeNumber(fields.service);
  const name = text(fields.name, 200);
  const category = text(fields.category, 100);
  const min = wholeNumber(fields.min);
  const max = wholeNumber(fields.max);
  const rate = text(fields.rate, 40);
  const type = fields.type === undefined ? 'Default' : fields.type;
  if (!id || !name || !category || !rate) return 'fields_missing';
  if (type !== 'Default' && type !== 'Custom Comments') return 'type_unsupported';
  if (!min || !max || min > max || min > MAX_QUANTITY) return 'range_invalid';
  return {
    upstreamId: String(id),
    name,
    category,
    type,
    upstreamRate: rate,
    min,
    max: Math.min(max, MAX_QUANTITY),
    canCancel: isYes(fields.cancel),
    isDripfeed: isYes(fields.dripfeed),
    isRefill: isYes(fields.refill),
    description: typeof fields.description === 'string' ? fields.description.slice(0, 2000) : '',
  };
}

/** What the upstream said, kept so a sync or a re-import can tell what changed since. */
export function upstreamFigures(service: UpstreamService) {
  return {
    upstream_rate: service.upstreamRate,
    upstream_name: service.name,
    upstream_min: service.min,
    upstream_max: service.max,
    is_gone_upstream: 0,
  };
}

async function upsertService(
  trx: Executor,
  providerName: string,
  service: UpstreamService,
  rateUnits: number,
  nowMs: number,
): Promise<{ id: number; isNew: boolean }> {
  const existing = await findImportedService(trx, providerName, service.upstreamId);
  if (existing) {
    // Our own link type, limits and active flag stay as the operator left them.
    await updateService(trx, existing.id, {
      name: service.name,
      category: service.category,
      type: service.type,
      rate_units: rateUnits,
      can_cancel: service.canCancel ? 1 : 0,
      updated_at: nowMs,
      ...upstreamFigures(service),
    });
    return { id: existing.id, isNew: false };
  }
  const id = await insertImportedService(trx, { providerName, service, rateUnits, isActive: true, nowMs });
  return { id, isNew: true };
}

/**
 * A new service of ours selling an upstream one: its fields checked as the admin form's are,
 * with the link type guessed from the upstream's words (the operator confirms it on activation).
 */
export async function insertImportedService(
  trx: Executor,
  imported: {
    providerName: string;
    service: UpstreamService;
    rateUnits: number;
    isActive: boolean;
    nowMs: number;
  },
): Promise<number> {
  const { providerName, service, rateUnits, nowMs } = imported;
  const backend = upstreamBackendName(providerName);
  const fields: ServiceFields = {
    name: service.name,
    category: service.category,
    type: service.type,
    linkType: importedLinkType(service.description, service.category, service.name),
    rateUnits,
    minQuantity: service.min,
    maxQuantity: service.max,
    canCancel: service.canCancel,
    isActive: imported.isActive,
    backend,
  };
  validateServiceFields(fields);
  const id = await nextServiceId(trx);
  await insertService(trx, {
    id,
    name: fields.name,
    category: fields.category,
    type: fields.type,
    link_type: fields.linkType,
    rate_units: rateUnits,
    min_quantity: fields.minQuantity,
    max_quantity: fields.maxQuantity,
    can_cancel: fields.canCancel ? 1 : 0,
    is_active: imported.isActive ? 1 : 0,
    backend,
    upstream_provider: providerName,
    upstream_service_id: service.upstreamId,
    created_at: nowMs,
    updated_at: nowMs,
    ...upstreamFigures(service),
  });
  return id;
}

/**
 * `inspiria provider import`: the provider's services as ours, with backend `upstream:NAME`,
 * at its rate in EUR (the provider's EUR rate) plus `markup` percent. Re-importing updates the
 * services it created before.
 */
export async function importProviderServices(
  ctx: AppContext,
  options: { provider: string; markup: string; timeoutMs: number; actor: string },
): Promise<ImportResult> {
  const markupBasisPoints = parseMarkup(options.markup);
  const { provider, value: upstreamServices } = await askProvider(
    ctx,
    { name: options.provider, timeoutMs: options.timeoutMs },
    fetchUpstreamServices,
  );
  const result: ImportResult = { provider: provider.name, created: [], updated: [], skipped: [] };
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const entry of upstreamServices) {
      const service = parseUpstreamService(entry);
      const label = String((entry as { service?: unknown } | null)?.service ?? '?').slice(0, 20);
      if (typeof service === 'string') {
        result.skipped.push({ upstreamService: label, reason: service });
        continue;
      }
      const rateUnits = markedUpRateUnits(service.upstreamRate, markupBasisPoints, provider.eur_rate_micros);
      if (rateUnits === undefined) {
        result.skipped.push({ upstreamService: label, reason: 'rate_invalid' });
        continue;
      }
      if (!isChargeRepresentable(rateUnits, service.max)) {
        result.skipped.push({ upstreamService: label, reason: 'charge_too_large' });
        continue;
      }
      const saved = await upsertService(trx, provider.name, service, rateUnits, nowMs);
      (saved.isNew ? result.created : result.updated).push(saved.id);
    }
    await appendAudit(trx, {
      actor: options.actor,
      action: 'provider.import',
      details: {
        provider: provider.name,
        markupBasisPoints,
        created: result.created,
        updated: result.updated,
      },
      createdAt: nowMs,
    });
  });
  return result;
}
