import { DomainError } from '../domain/errors.js';
import { isLinkType, type LinkType } from '../domain/link-types.js';
import { MAX_UNITS } from '../domain/money.js';
import { isChargeRepresentable } from '../domain/pricing.js';
import { appendAudit } from '../storage/audit-repository.js';
import type { ServiceRow } from '../storage/schema.js';
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
      await insertService(trx, { id, ...toColumns(options.fields, nowMs), created_at: nowMs });
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
    await updateService(trx, options.id, toColumns(options.fields, nowMs));
    await appendAudit(trx, {
      actor: options.actor,
      action: 'service.update',
      details: { serviceId: options.id, ...options.fields },
      createdAt: nowMs,
    });
  });
}
