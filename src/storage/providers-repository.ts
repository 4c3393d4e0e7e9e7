import type { Insertable, Updateable } from 'kysely';
import type { Executor, ProviderRow, ProvidersTable } from './schema.js';

export async function insertProvider(db: Executor, provider: Insertable<ProvidersTable>): Promise<void> {
  await db.insertInto('providers').values(provider).execute();
}

export function findProviderByName(db: Executor, name: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('providers').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listProviderRows(db: Executor): Promise<ProviderRow[]> {
  return db.selectFrom('providers').selectAll().orderBy('name').execute();
}

export function findImportedService(db: Executor, providerName: string, upstreamServiceId: string) {
  return db
    .selectFrom('services')
    .selectAll()
    .where('upstream_provider', '=', providerName)
    .where('upstream_service_id', '=', upstreamServiceId)
    .executeTakeFirst();
}

/**
 * Takes the provider's sync lease for `owner` until `untilMs` if nobody holds it: one
 * conditional UPDATE, so of two workers racing for it exactly one sees a row changed.
 */
export async function claimProviderSync(
  db: Executor,
  options: { providerId: number; owner: string; nowMs: number; untilMs: number },
): Promise<boolean> {
  const result = await db
    .updateTable('providers')
    .set({ sync_lease_owner: options.owner, sync_lease_until: options.untilMs })
    .where('id', '=', options.providerId)
    .where((eb) => eb.or([eb('sync_lease_until', 'is', null), eb('sync_lease_until', '<=', options.nowMs)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseProviderSync(db: Executor, providerId: number, owner: string): Promise<void> {
  await db
    .updateTable('providers')
    .set({ sync_lease_owner: null, sync_lease_until: null })
    .where('id', '=', providerId)
    .where('sync_lease_owner', '=', owner)
    .execute();
}

/** Providers whose last sync is older than `intervalMs` (or never ran), oldest first. */
export function listProvidersDueForSync(db: Executor, options: { nowMs: number; intervalMs: number }) {
  return db
    .selectFrom('providers')
    .selectAll()
    .where((eb) =>
      eb.or([eb('last_sync_at', 'is', null), eb('last_sync_at', '<=', options.nowMs - options.intervalMs)]),
    )
    .orderBy('id')
    .execute();
}

export async function updateProvider(
  db: Executor,
  providerId: number,
  patch: Omit<Updateable<ProvidersTable>, 'id' | 'name' | 'api_key'>,
): Promise<void> {
  await db.updateTable('providers').set(patch).where('id', '=', providerId).execute();
}

export function listServicesOfProvider(db: Executor, providerName: string) {
  return db.selectFrom('services').selectAll().where('upstream_provider', '=', providerName).execute();
}
