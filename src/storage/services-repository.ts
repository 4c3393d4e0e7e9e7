import type { Insertable, Updateable } from 'kysely';
import { bySlices } from './id-slices.js';
import type { Executor, ServiceRow, ServicesTable } from './schema.js';

/**
 * contract §4: ordered by category, then id. Sorted here by code point rather than in SQL,
 * where PostgreSQL's collation and SQLite's binary order could disagree.
 */
function byCategoryThenId(a: ServiceRow, b: ServiceRow): number {
  if (a.category !== b.category) return a.category < b.category ? -1 : 1;
  return a.id - b.id;
}

export async function listActiveServices(db: Executor): Promise<ServiceRow[]> {
  const rows = await db.selectFrom('services').selectAll().where('is_active', '=', 1).execute();
  return rows.sort(byCategoryThenId);
}

export async function listServiceRows(db: Executor): Promise<ServiceRow[]> {
  return (await db.selectFrom('services').selectAll().execute()).sort(byCategoryThenId);
}

export function findService(db: Executor, serviceId: number): Promise<ServiceRow | undefined> {
  return db.selectFrom('services').selectAll().where('id', '=', serviceId).executeTakeFirst();
}

export async function nextServiceId(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('services')
    .select((eb) => eb.fn.max<number | null>('id').as('maxId'))
    .executeTakeFirst();
  return Number(row?.maxId ?? 0) + 1;
}

export async function insertService(db: Executor, service: Insertable<ServicesTable>): Promise<void> {
  await db.insertInto('services').values(service).execute();
}

export async function updateService(
  db: Executor,
  serviceId: number,
  patch: Omit<Updateable<ServicesTable>, 'id'>,
): Promise<boolean> {
  const result = await db.updateTable('services').set(patch).where('id', '=', serviceId).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function listServiceLabels(db: Executor, serviceIds: number[]) {
  return bySlices(serviceIds, (slice) =>
    db
      .selectFrom('services')
      .select(['id', 'name', 'backend', 'upstream_provider'])
      .where('id', 'in', slice)
      .execute(),
  );
}
