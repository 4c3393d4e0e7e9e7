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
}

const MAX_QUANTITY = 100_000_000;

export function validateServiceFields(fields: ServiceFields): void {
  const fail = (message: string) => {
    throw new DomainError('invalid_input', {}, message);
  };
  if (fields.name.trim() === '' || fields.name.length > 200) fail('name must have 1 to 200 characters');
  if (fields.category.trim() === '' || fields.category.length > 100)
    fail('category must have 1 to 100 characters');
  if (!isLinkType(fields.linkType)) fail('link type must be post_url, reel_url or username');
  if (!Number.isSafeInteger(fields.rateUnits) || fields.rateUnits < 0 || fields.rateUnits > MAX_UNITS) {
    fail('rate must be zero or more');
  }
  const { minQuantity: min, maxQuantity: max } = fields;
  if (
    !Number.isSafeInteger(min) ||
    !Number.isSafeInteger(max) ||
    min < 1 ||
    max < min ||
    max > MAX_QUANTITY
  ) {
    fail(`min and max must be whole numbers with 1 <= min <= max <= ${MAX_QUANTITY}`);
  }
  if (!isChargeRepresentable(fields.rateUnits, max)) fail('rate × max quantity is too large for one order');
  if (!/^(operator|simulator|upstream:[A-Za-z0-9_.-]{1,64})$/.test(fields.backend)) {
    fail('backend must be operator, simulator or upstream:NAME');
  }
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
    backend: fields.backend,
    updated_at: nowMs,
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
  if (!fields.backend.startsWith('upstream:')) return {};
  const providerName = fields.backend.slice('upstream:'.length);
  if (!(await findProviderByName(trx, providerName))) {
    throw new DomainError('invalid_input', {}, `no provider named ${providerName}`);
  }
  const keptId = before?.upstream_provider === providerName ? before.upstream_service_id : null;
  const upstreamServiceId = fields.upstreamServiceId?.trim() || keptId;
  if (!upstreamServiceId || !/^[A-Za-z0-9_.-]{1,64}$/.test(upstreamServiceId)) {
    throw new DomainError('invalid_input', {}, `an upstream service needs the provider's service id`);
  }
  return { upstream_provider: providerName, upstream_service_id: upstreamServiceId };
}

export async function createService(
  ctx: AppContext,
  options: { id?: number; fields: ServiceFields; actor: string },
): Promise<ServiceRow> {
  validateServiceFields(options.fields);
  if (options.id !== undefined && (!Number.isSafeInteger(options.id) || options.id < 1)) {
    throw new DomainError('invalid_input', {}, 'service id must be a positive whole number');
  }
  const nowMs = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const id = options.id ?? (await nextServiceId(trx));
      if (await findService(trx, id)) throw new DomainError('conflict', {}, `service ${id} already exists`);
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
    if (isUniqueViolation(error)) throw new DomainError('conflict', {}, 'service id already exists');
    throw error;
  }
}

export async function updateServiceFields(
  ctx: AppContext,
  options: { id: number; fields: ServiceFields; actor: string },
): Promise<void> {
  validateServiceFields(options.fields);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findService(trx, options.id);
    if (!before) throw new DomainError('not_found', {}, `no service ${options.id}`);
    const upstream = await upstreamColumns(trx, options.fields, before);
    await updateService(trx, options.id, { ...toColumns(options.fields, nowMs), ...upstream });
    await appendAudit(trx, {
      actor: options.actor,
      action: 'service.update',
      details: { serviceId: options.id, ...options.fields },
      createdAt: nowMs,
    });
  });
}
