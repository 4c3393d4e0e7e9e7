import type { ProviderFailureReason } from '../domain/errors.js';
import { findServicesByIds } from '../storage/engine-repository.js';
import { listProviderRows } from '../storage/providers-repository.js';
import type { AppContext } from './context.js';
import type { SyncChange } from './sync-provider.js';

export interface ProviderSyncView {
  name: string;
  markupBasisPoints: number;
  marginFloorBasisPoints: number;
  onLowMargin: 'pause' | 'reprice';
  eurRateMicros: number;
  lowBalanceUnits: number | null;
  lastSyncAt: number | null;
  /** Why the last sync could not reach the provider; null when it could (or never ran). */
  failure: ProviderFailureReason | null;
  balance: string | null;
  currency: string | null;
  isBalanceLow: boolean;
  /** What the last sync that reached the provider changed, with our services' names. */
  changes: (SyncChange & { serviceName: string })[];
}

function parseChanges(json: string | null): SyncChange[] {
  if (json === null) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as SyncChange[]) : [];
  } catch {
    return [];
  }
}

/** Each provider's terms and its last sync, for the admin's providers page and overview. */
export async function listProviderSyncs(ctx: AppContext): Promise<ProviderSyncView[]> {
  const providers = await listProviderRows(ctx.db);
  const changesOf = new Map(providers.map((p) => [p.id, parseChanges(p.last_sync_changes_json)]));
  const serviceIds = [...new Set([...changesOf.values()].flat().map((c) => c.serviceId))];
  const names = new Map((await findServicesByIds(ctx.db, serviceIds)).map((s) => [s.id, s.name]));
  return providers.map((p) => ({
    name: p.name,
    markupBasisPoints: p.markup_basis_points,
    marginFloorBasisPoints: p.margin_floor_basis_points,
    onLowMargin: p.on_low_margin,
    eurRateMicros: Number(p.eur_rate_micros),
    lowBalanceUnits: p.low_balance_units === null ? null : Number(p.low_balance_units),
    lastSyncAt: p.last_sync_at === null ? null : Number(p.last_sync_at),
    failure: (p.last_sync_failure as ProviderFailureReason | null) ?? null,
    balance: p.balance_text,
    currency: p.balance_currency,
    isBalanceLow: p.is_balance_low === 1,
    changes: (changesOf.get(p.id) ?? []).map((c) => ({
      ...c,
      serviceName: names.get(c.serviceId) ?? `#${c.serviceId}`,
    })),
  }));
}
