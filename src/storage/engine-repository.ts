import type { Kysely } from 'kysely';
import type { DatabaseKind } from './connection.js';
import type { Database, Executor, OrderRow } from './schema.js';

const ACTIVE = ['Pending', 'In progress'] as const;
const FINAL = ['Completed', 'Partial', 'Canceled', 'Error'] as const;

/** next_run_at of an order the engine never looks at again (the operator queue). */
export const PARKED_AT = Number.MAX_SAFE_INTEGER;

export interface ClaimOptions {
  owner: string;
  nowMs: number;
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` due orders for `owner` until `nowMs + leaseMs`: active orders whose time
 * has come, and finished ones still open upstream (a cancel to forward). On PostgreSQL the rows
 * are locked with FOR UPDATE SKIP LOCKED so concurrent workers take disjoint sets; on SQLite the
 * transaction is BEGIN IMMEDIATE (see connection.ts), which serialises claims, and the update is
 * conditional on the lease being free all the same.
 */
export async function claimDueOrders(
  db: Kysely<Database>,
  kind: DatabaseKind,
  options: ClaimOptions,
): Promise<OrderRow[]> {
  const { owner, nowMs, leaseMs, limit } = options;
  return db.transaction().execute(async (trx) => {
    // Two queries, each served by its own index: active orders that are due (status, next_run_at),
    // and finished ones with a cancel to forward upstream or its final charge to read (upstream_state).
    const due = (forwarding: boolean) => {
      let query = trx
        .selectFrom('orders')
        .select('id')
        .where('next_run_at', '<=', nowMs)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowMs)]));
      query = forwarding
        ? query.where('upstream_state', 'in', ['placed', 'cancel_sent']).where('status', 'in', FINAL)
        : query
            .where('status', 'in', ACTIVE)
            .where((eb) => eb.or([eb('backend', 'is', null), eb('backend', '<>', 'operator')]));
      query = query.orderBy('next_run_at').limit(limit);
      return kind === 'postgres' ? query.forUpdate().skipLocked() : query;
    };
    const ids = (await due(false).execute()).map((row) => row.id);
    if (ids.length < limit) {
      ids.push(...(await due(true).execute()).map((row) => row.id).slice(0, limit - ids.length));
    }
    if (ids.length === 0) return [];
    await trx
      .updateTable('orders')
      .set({ lease_owner: owner, lease_until: nowMs + leaseMs })
      .where('id', 'in', ids)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowMs)]))
      .execute();
    return trx
      .selectFrom('orders')
      .selectAll()
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .execute();
  });
}

/** Gives the leases back; a lease another worker has taken over meanwhile is left alone. */
export async function releaseLeases(db: Executor, owner: string, orderIds: number[]): Promise<void> {
  if (orderIds.length === 0) return;
  await db
    .updateTable('orders')
    .set({ lease_owner: null, lease_until: null })
    .where('id', 'in', orderIds)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Orders still moving (or with a cancel still to forward), for tests and the bench. */
export async function countUnsettledOrders(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', 'in', ACTIVE),
          eb.or([eb('backend', 'is', null), eb('backend', '<>', 'operator')]),
        ]),
        eb('upstream_state', 'in', ['placed', 'adding']),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function findServicesByIds(db: Executor, serviceIds: number[]) {
  if (serviceIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('services').selectAll().where('id', 'in', serviceIds).execute();
}

/**
 * The earliest moment (epoch ms) an active order becomes claimable: its due time, or the end of
 * the lease another worker holds on it, whichever is later. Without the lease a worker would see
 * leased orders as due and poll without pause until the lease ends (up to a minute for a dead
 * worker's). Only orders due before `untilMs` count: the caller sleeps no longer than that, and
 * the (status, next_run_at) index then bounds the scan. Undefined when there are none.
 */
export async function earliestClaimableAt(db: Executor, untilMs: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('orders')
    .select((eb) =>
      eb.fn
        .min<number | null>(
          eb
            .case()
            .when('lease_until', '>', eb.ref('next_run_at'))
            .then(eb.ref('lease_until'))
            .else(eb.ref('next_run_at'))
            .end(),
        )
        .as('claimableAt'),
    )
    .where('status', 'in', ACTIVE)
    .where('next_run_at', '<', untilMs)
    // The orders claimDueOrders takes: an operator's order is never claimed again.
    .where((eb) => eb.or([eb('backend', 'is', null), eb('backend', '<>', 'operator')]))
    .executeTakeFirst();
  return row?.claimableAt === null || row?.claimableAt === undefined ? undefined : Number(row.claimableAt);
}

/** Active orders waiting for a person (operator backend), oldest first, with their service's name. */
export function listOperatorQueueRows(db: Executor, options: { limit: number; offset: number }) {
  return db
    .selectFrom('orders')
    .innerJoin('services', 'services.id', 'orders.service_id')
    .innerJoin('accounts', 'accounts.id', 'orders.account_id')
    .selectAll('orders')
    .select(['services.name as service_name', 'accounts.email as account_email'])
    .where('orders.status', 'in', ACTIVE)
    .where((eb) =>
      eb.or([
        eb('orders.backend', '=', 'operator'),
        eb.and([eb('orders.backend', 'is', null), eb('services.backend', '=', 'operator')]),
      ]),
    )
    .orderBy('orders.id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}
