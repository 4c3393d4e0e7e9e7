import type { ProviderFailureReason } from '../domain/errors.js';
import { eurUnitsOf, marginBasisPoints, parseExactDecimal, rateKeepingFloor } from '../domain/order-cost.js';
import { isChargeRepresentable } from '../domain/pricing.js';
import { appendAudit } from '../storage/audit-repository.js';
import {
  claimProviderSync,
  listServicesOfProvider,
  releaseProviderSync,
  updateProvider,
} from '../storage/providers-repository.js';
import type { Executor, ProviderRow, ServiceRow } from '../storage/schema.js';
import { updateService } from '../storage/services-repository.js';
import {
  fetchUpstreamBalance,
  fetchUpstreamServices,
  type UpstreamEndpoint,
  type UpstreamResult,
} from '../upstream/upstream-client.js';
import type { AppContext } from './context.js';
import { parseUpstreamService, type UpstreamService } from './import-provider-services.js';

/** What a sync did to one of our services; kept on the provider for the admin overview. */
export type SyncChange =
  | { kind: 'paused_margin'; serviceId: number; upstreamRate: string; marginBasisPoints: number }
  | {
      kind: 'repriced';
      serviceId: number;
      upstreamRate: string;
      rateUnitsBefore: number;
      rateUnitsAfter: number;
    }
  | { kind: 'rate_changed'; serviceId: number; upstreamRate: string; previousRate: string }
  | { kind: 'gone'; serviceId: number };

export type SyncOutcome =
  | { status: 'synced'; provider: string; changes: SyncChange[]; isBalanceLow: boolean }
  | { status: 'unreachable'; provider: string; reason: ProviderFailureReason }
  /** Another worker holds the provider's sync lease. */
  | { status: 'busy'; provider: string };

export const SYNC_ACTOR = 'sync';

/** The upstream's rate per 1,000 in EUR units at the provider's rate; undefined if unreadable. */
export function upstreamCostUnits(provider: ProviderRow, upstreamRate: string): number | undefined {
  const decimal = parseExactDecimal(upstreamRate);
  return decimal ? eurUnitsOf(decimal, provider.eur_rate_micros) : undefined;
}

/** A rise that leaves less than the floor: paused, or repriced to keep it (the operator's choice). */
async function guardMargin(
  trx: Executor,
  provider: ProviderRow,
  service: ServiceRow,
  upstream: UpstreamService,
  nowMs: number,
): Promise<SyncChange | undefined> {
  const costUnits = upstreamCostUnits(provider, upstream.upstreamRate);
  if (costUnits === undefined) return undefined;
  const margin = marginBasisPoints(service.rate_units, costUnits);
  if (margin >= provider.margin_floor_basis_points) return undefined;
  const base = { actor: SYNC_ACTOR, createdAt: nowMs };
  if (provider.on_low_margin === 'reprice') {
    const rateUnitsAfter = rateKeepingFloor(costUnits, provider.margin_floor_basis_points);
    if (isChargeRepresentable(rateUnitsAfter, service.max_quantity)) {
      await updateService(trx, service.id, { rate_units: rateUnitsAfter, updated_at: nowMs });
      const change: SyncChange = {
        kind: 'repriced',
        serviceId: service.id,
        upstreamRate: upstream.upstreamRate,
        rateUnitsBefore: service.rate_units,
        rateUnitsAfter,
      };
      await appendAudit(trx, {
        ...base,
        action: 'service.sync_reprice',
        details: { provider: provider.name, ...change },
      });
      return change;
    }
  }
  if (service.is_active !== 1) return undefined;
  await updateService(trx, service.id, { is_active: 0, updated_at: nowMs });
  const change: SyncChange = {
    kind: 'paused_margin',
    serviceId: service.id,
    upstreamRate: upstream.upstreamRate,
    marginBasisPoints: margin,
  };
  await appendAudit(trx, {
    ...base,
    action: 'service.sync_pause',
    details: { provider: provider.name, ...change },
  });
  return change;
}

async function syncService(
  trx: Executor,
  provider: ProviderRow,
  service: ServiceRow,
  upstream: UpstreamService | undefined,
  nowMs: number,
): Promise<SyncChange[]> {
  if (!upstream) {
    if (service.is_gone_upstream === 1) return [];
    await updateService(trx, service.id, { is_active: 0, is_gone_upstream: 1, updated_at: nowMs });
    const change: SyncChange = { kind: 'gone', serviceId: service.id };
    await appendAudit(trx, {
      actor: SYNC_ACTOR,
      action: 'service.sync_gone',
      details: { provider: provider.name, ...change },
      createdAt: nowMs,
    });
    return [change];
  }
  const previousRate = service.upstream_rate;
  await updateService(trx, service.id, {
    upstream_rate: upstream.upstreamRate,
    upstream_name: upstream.name,
    upstream_min: upstream.min,
    upstream_max: upstream.max,
    is_gone_upstream: 0,
  });
  if (previousRate === null || previousRate === upstream.upstreamRate) return [];
  const changes: SyncChange[] = [
    { kind: 'rate_changed', serviceId: service.id, upstreamRate: upstream.upstreamRate, previousRate },
  ];
  const before = upstreamCostUnits(provider, previousRate);
  const after = upstreamCostUnits(provider, upstream.upstreamRate);
  // Only a rise can push the margin under the floor the operator accepted before it.
  if (before !== undefined && after !== undefined && after > before) {
    const guarded = await guardMargin(trx, provider, service, upstream, nowMs);
    if (guarded) changes.push(guarded);
  }
  return changes;
}

function upstreamById(entries: unknown[]): Map<string, UpstreamService> {
  const byId = new Map<string, UpstreamService>();
  for (const entry of entries) {
    const service = parseUpstreamService(entry);
    if (typeof service !== 'string') byId.set(service.upstreamId, service);
  }
  return byId;
}

/** The balance in 0.0001 of its currency, for the threshold; a negative one counts as low. */
function isBalanceLow(provider: ProviderRow, balance: string): boolean {
  if (provider.low_balance_units === null) return false;
  if (balance.trim().startsWith('-')) return true;
  const decimal = parseExactDecimal(balance);
  const units = decimal ? eurUnitsOf(decimal, 1_000_000) : undefined;
  return units !== undefined && units < provider.low_balance_units;
}

async function applyCatalog(
  ctx: AppContext,
  provider: ProviderRow,
  catalog: unknown[],
  balance: { balance: string; currency: string },
): Promise<{ changes: SyncChange[]; isBalanceLow: boolean }> {
  const nowMs = ctx.clock.now();
  const upstream = upstreamById(catalog);
  return ctx.db.transaction().execute(async (trx) => {
    const changes: SyncChange[] = [];
    for (const service of await listServicesOfProvider(trx, provider.name)) {
      const upstreamService = upstream.get(service.upstream_service_id ?? '');
      changes.push(...(await syncService(trx, provider, service, upstreamService, nowMs)));
    }
    const isLow = isBalanceLow(provider, balance.balance);
    if (isLow && provider.is_balance_low !== 1) {
      await appendAudit(trx, {
        actor: SYNC_ACTOR,
        action: 'provider.balance_low',
        details: { provider: provider.name, balance: balance.balance, currency: balance.currency },
        createdAt: nowMs,
      });
    }
    await updateProvider(trx, provider.id, {
      last_sync_at: nowMs,
      last_sync_failure: null,
      last_sync_changes_json: JSON.stringify(changes),
      balance_text: balance.balance,
      balance_currency: balance.currency,
      is_balance_low: isLow ? 1 : 0,
    });
    return { changes, isBalanceLow: isLow };
  });
}

/**
 * One provider's catalog and balance, checked against our services: rates and limits recorded,
 * margins guarded, services gone upstream paused, a low balance flagged. One worker at a time
 * holds the provider (a lease on its row); an unreachable provider changes nothing but its
 * "could not reach" mark, which the admin overview shows.
 */
export async function syncProvider(
  ctx: AppContext,
  options: { provider: ProviderRow; owner: string; leaseMs: number; timeoutMs: number },
): Promise<SyncOutcome> {
  const { provider, owner } = options;
  const nowMs = ctx.clock.now();
  const isClaimed = await claimProviderSync(ctx.db, {
    providerId: provider.id,
    owner,
    nowMs,
    untilMs: nowMs + options.leaseMs,
  });
  if (!isClaimed) return { status: 'busy', provider: provider.name };
  try {
    const endpoint: UpstreamEndpoint = {
      url: provider.url,
      apiKey: provider.api_key,
      timeoutMs: options.timeoutMs,
      network: ctx.providerNetwork,
    };
    const catalog = await fetchUpstreamServices(endpoint);
    const balance = catalog.ok ? await fetchUpstreamBalance(endpoint) : undefined;
    const failed = firstFailure(catalog, balance);
    if (failed) {
      await updateProvider(ctx.db, provider.id, { last_sync_at: ctx.clock.now(), last_sync_failure: failed });
      return { status: 'unreachable', provider: provider.name, reason: failed };
    }
    if (!catalog.ok || !balance?.ok) throw new Error('unreachable: both answers were checked');
    const applied = await applyCatalog(ctx, provider, catalog.value, balance.value);
    return { status: 'synced', provider: provider.name, ...applied };
  } finally {
    await releaseProviderSync(ctx.db, provider.id, owner);
  }
}

function firstFailure(
  catalog: UpstreamResult<unknown[]>,
  balance: UpstreamResult<unknown> | undefined,
): ProviderFailureReason | undefined {
  if (!catalog.ok) return catalog.failure.reason;
  if (balance && !balance.ok) return balance.failure.reason;
  return undefined;
}
