import type { Insertable } from 'kysely';
import type { Executor, ProviderRow, ProvidersTable } from './schema.js';

export async function insertProvider(db: Executor, provider: Insertable<ProvidersTable>): Promise<void> {
  await db.insertInto('providers').values(provider).execute();
}

export function findProviderByName(db: Executor, name: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('providers').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listProviders(db: Executor): Promise<ProviderRow[]> {
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
