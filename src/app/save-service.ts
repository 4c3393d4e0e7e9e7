import { type BackendName, isBackendName, parseBackend } from '../domain/backends.js';
import { RUNS_RANGE } from '../domain/drip-feed.js';
import { DomainError } from '../domain/errors.js';
import { isLinkType, type LinkType } from '../domain/link-types.js';
import { MAX_UNITS } from '../domain/money.js';
import { isChargeRepresentable } from '../domain/pricing.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { Executor, ServiceRow } from '../storage/schema.js';
import { findService, insertService, nextServiceId, updateService } from '../storage/services-repository.js';
import type { AppContext } from './context.js';
import { isUniqueViolation } from './database-errors.js';

export interface ServiceFields {
  name: string;
  category: string;
  type: 'Default' | 'Custom Comments';
  linkType: LinkType | string;
  rateUnits: number;
  minQuantity: number;
  maxQuantity: number;
  canCancel: boolean;
  isActive: boolean;
  backend: string;
  /** With backend `upstream:NAME`: the provider's own service id (import sets it). */
  upstreamServiceId?: string | undefined;
  /** `add` takes runs and interval (contract §13); left as stored when not given. */
  isDripfeed?: boolean | undefined;
  /** The operator's description in each language (issue 11); left as stored when undefined. */
  descriptionIt?: string | undefined;
  descriptionEn?: string | undefined;
  /** What an order of 1,000 costs us when we deliver it ourselves; undefined leaves it as it is. */
  costPer1000Units?: number | null | undefined;
}

const MAX_QUANTITY = 100_000_000;
const MAX_NAME_LENGTH = 200;
const MAX_CATEGORY_LENGTH = 100;
const MAX_DESCRIPTION_LENGTH = 1000;

export function validateServiceFields(fields: ServiceFields): void {
  if (fields.name.trim() === '' || fields.name.length > MAX_NAME_LENGTH) {
    throw new DomainError('service_name_invalid', { max: MAX_NAME_LENGTH });
  }
  if (fields.category.trim() === '' || fields.category.length > MAX_CATEGORY_LENGTH) {
    throw new DomainError('service_category_invalid', { max: MAX_CATEGORY_LENGTH });
  }
  for (const description of [fields.descriptionIt, fields.descriptionEn]) {
    if ((description?.trim().length ?? 0) > MAX_DESCRIPTION_LENGTH) {
      throw new DomainError('service_description_invalid', { max: MAX_DESCRIPTION_LENGTH });
    }
  }
  if (!isLinkType(fields.linkType)) throw new DomainError('service_link_type_invalid');
  if (!Number.isSafeInteger(fields.rateUnits) || fields.rateUnits < 0 || fields.rateUnits > MAX_UNITS) {
    throw new DomainError('rate_invalid');
  }
  const { minQuantity: min, maxQuantity: max } = fields;
  if (
    !Number.isSafeInteger(min) ||
    !Number.isSafeInteger(max) ||
    min < 1 ||
    max < min ||
    max > MAX_QUANTITY
  ) {
    throw new DomainError('quantity_limits_invalid', { max: MAX_QUANTITY });
  }
  if (!isChargeRepresentable(fields.rateUnits, max)) throw new DomainError('charge_too_large');
  // A drip-feed order is charged for up to RUNS_RANGE.max runs of the largest quantity at once.
  if (fields.isDripfeed && !isChargeRepresentable(fields.rateUnits, max * RUNS_RANGE.max)) {
    throw new DomainError('charge_too_large');
  }
  const cost = fields.costPer1000Units;
  if (
    cost !== undefined &&
    cost !== null &&
    !(Number.isSafeInteger(cost) && cost >= 0 && cost <= MAX_UNITS)
  ) {
    throw new DomainError('cost_invalid');
  }
  checkedBackend(fields.backend);
}

function checkedBackend(name: string): BackendName {
  if (!isBackendName(name)) throw new DomainError('backend_invalid');
  return name;
}

function toColumns(fields: ServiceFields, nowMs: number) {
  return {
    name: fields.name.trim(),
    category: fields.category.trim(),
    type: fields.type,
    link_type: fields.linkType,
    rate_units: fields.rateUnits,
    min_quantity: fields.minQuantity,
    max_quantity: fields.maxQuantity,
    can_cancel: fields.canCancel ? 1 : 0,
    is_active: fields.isActive ? 1 : 0,
    backend: checkedBackend(fields.backend),
    ...(fields.isDripfeed === undefined ? {} : { is_dripfeed: fields.isDripfeed ? 1 : 0 }),
    updated_at: nowMs,
    ...(fields.costPer1000Units === undefined ? {} : { cost_per_1000_units: fields.costPer1000Units }),
    ...descriptionColumns(fields),
  };
}

/** An empty description is stored as none, so the other language's is shown instead. */
function descriptionColumns(fields: ServiceFields) {
  const stored = (text: string | undefined) => (text?.trim() ? text.trim() : null);
  return {
    ...(fields.descriptionIt === undefined ? {} : { description_it: stored(fields.descriptionIt) }),
    ...(fields.descriptionEn === undefined ? {} : { description_en: stored(fields.descriptionEn) }),
  };
}

/**
 * A service delivered by an upstream panel needs that panel registered and the panel's own
 * service id; without them every order would only fail later, in the engine.
 */
async function upstreamColumns(
  trx: Executor,
  fields: ServiceFields,
  before: ServiceRow | undefined,
): Promise<{ upstream_provider: string; upstream_service_id: string } | Record<string, never>> {
  const backend = parseBackend(fields.backend);
  if (backend?.kind !== 'upstream') return {};
  const providerName = backend.provider;
  if (!(await findProviderByName(trx, providerName))) {
    throw new DomainError('provider_not_found', { name: providerName });
  }
  const keptId = before?.upstream_provider === providerName ? before.upstream_service_id : null;
  const upstreamServiceId = fields.upstreamServiceId?.trim() || keptId;
  if (!upstreamServiceId || !/^[A-Za-z0-9_.-]{1,64}$/.test(upstreamServiceId)) {
    throw new DomainError('upstream_service_id_required');
  }
  return { upstream_provider: providerName, upstream_service_id: upstreamServiceId };
}

export async function createService(
  ctx: AppContext,
  options: { id?: number; fields: ServiceFields; actor: string },
): Promise<ServiceRow> {
  validateServiceFields(options.fields);
  if (options.id !== undefined && (!Number.isSafeInteger(options.id) || options.id < 1)) {
    throw new DomainError('service_id_invalid');
  }
  const nowMs = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const id = options.id ?? (await nextServiceId(trx));
      if (await findService(trx, id)) throw new DomainError('service_exists', { serviceId: id });
      const upstream = await upstreamColumns(trx, options.fields, undefined);
      await insertService(trx, { id, ...toColumns(options.fields, nowMs), ...upstream, created_at: nowMs });
      await appendAudit(trx, {
        actor: options.actor,
        action: 'service.create',
        details: { serviceId: id, ...options.fields },
        createdAt: nowMs,
      });
      return (await findService(trx, id)) as ServiceRow;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('service_exists', { serviceId: options.id });
    throw error;
  }
}

type Change = { from: unknown; to: unknown };

/**
 * The fields an edit changes, each with its old and new value, so the audit log says what the
 * operator did (`rateUnits: {from: 35000, to: 40000}`), not the whole form.
 */
function changedFields(before: ServiceRow, fields: ServiceFields): Record<string, Change> {
  const now = toColumns(fields, before.updated_at);
  const changed: Record<string, Change> = {};
  const pairs: [keyof ServiceFields, unknown, unknown][] = [
    ['name', before.name, now.name],
    ['category', before.category, now.category],
    ['type', before.type, now.type],
    ['linkType', before.link_type, now.link_type],
    ['rateUnits', Number(before.rate_units), now.rate_units],
    ['minQuantity', before.min_quantity, now.min_quantity],
    ['maxQuantity', before.max_quantity, now.max_quantity],
    ['canCancel', before.can_cancel, now.can_cancel],
    ['isActive', before.is_active, now.is_active],
    ['backend', before.backend, now.backend],
    ['isDripfeed', before.is_dripfeed, now.is_dripfeed ?? before.is_dripfeed],
    ['costPer1000Units', before.cost_per_1000_units, now.cost_per_1000_units ?? before.cost_per_1000_units],
  ];
  if (now.description_it !== undefined)
    pairs.push(['descriptionIt', before.description_it, now.description_it]);
  if (now.description_en !== undefined)
    pairs.push(['descriptionEn', before.description_en, now.description_en]);
  for (const [key, old, next] of pairs) {
    // Booleans are 0/1 columns: the log keeps them as booleans on both sides.
    const isFlag = key === 'canCancel' || key === 'isActive' || key === 'isDripfeed';
    if (old !== next) changed[key] = { from: isFlag ? old === 1 : old, to: fields[key] };
  }
  if (fields.upstreamServiceId !== undefined && fields.upstreamServiceId !== before.upstream_service_id) {
    changed.upstreamServiceId = { from: before.upstream_service_id, to: fields.upstreamServiceId };
  }
  return changed;
}

export async function updateServiceFields(
  ctx: AppContext,
  options: { id: number; fields: ServiceFields; actor: string },
): Promise<void> {
  validateServiceFields(options.fields);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findService(trx, options.id);
    if (!before) throw new DomainError('service_not_found', { serviceId: options.id });
    const upstream = await upstreamColumns(trx, options.fields, before);
    await updateService(trx, options.id, { ...toColumns(options.fields, nowMs), ...upstream });
    await appendAudit(trx, {
      actor: options.actor,
      action: 'service.update',
      details: { serviceId: options.id, ...changedFields(before, options.fields) },
      createdAt: nowMs,
    });
  });
}
