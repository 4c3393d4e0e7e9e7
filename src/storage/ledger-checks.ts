import { sql } from 'kysely';
import type { Executor } from './schema.js';

/**
 * The ledger's invariants as queries: each returns the rows that break one. An empty result
 * everywhere is what `inspiria ledger verify` reports as clean.
 */

/** Accounts whose balance is not the sum of their entries, or whose last entry disagrees. */
export function accountsWithBalanceMismatch(db: Executor) {
  return db
    .selectFrom('accounts')
    .leftJoin(
      db
        .selectFrom('ledger_entries')
        .select((eb) => [
          'account_id',
          eb.fn.sum<number>('amount_units').as('total'),
          eb.fn.max<number>('id').as('last_id'),
        ])
        .groupBy('account_id')
        .as('sums'),
      'sums.account_id',
      'accounts.id',
    )
    .leftJoin('ledger_entries as last', 'last.id', 'sums.last_id')
    .select([
      'accounts.id',
      'accounts.email',
      'accounts.balance_units',
      'sums.total',
      'last.balance_after_units as last_balance_after',
    ])
    .where((eb) =>
      eb.or([
        eb('accounts.balance_units', '<', 0),
        eb(sql`coalesce(${sql.ref('sums.total')}, 0)`, '<>', sql.ref('accounts.balance_units')),
        eb(sql`coalesce(${sql.ref('last.balance_after_units')}, 0)`, '<>', sql.ref('accounts.balance_units')),
      ]),
    )
    .execute();
}

/** Orders whose ledger entries disagree with them: not one charge, refunds above it, drift. */
export function ordersWithLedgerMismatch(db: Executor) {
  return db
    .selectFrom('orders')
    .leftJoin(
      db
        .selectFrom('ledger_entries')
        .where('order_id', 'is not', null)
        .select((eb) => [
          'order_id',
          eb.fn.sum<number>(eb.case().when('kind', '=', 'charge').then(1).else(0).end()).as('charges'),
          eb.fn.sum<number>(eb.case().when('kind', '=', 'refund').then(1).else(0).end()).as('refunds'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when('kind', '=', 'charge')
                .then(eb.neg(eb.ref('amount_units')))
                .else(0)
                .end(),
            )
            .as('charged'),
          eb.fn
            .sum<number>(eb.case().when('kind', '=', 'refund').then(eb.ref('amount_units')).else(0).end())
            .as('refunded'),
        ])
        .groupBy('order_id')
        .as('e'),
      'e.order_id',
      'orders.id',
    )
    .select([
      'orders.id',
      'orders.charge_units',
      'orders.refunded_units',
      'e.charges',
      'e.refunds',
      'e.charged',
      'e.refunded',
    ])
    .where((eb) =>
      eb.or([
        eb(sql`coalesce(${sql.ref('e.charges')}, 0)`, '<>', 1),
        eb(sql`coalesce(${sql.ref('e.refunds')}, 0)`, '>', 1),
        eb(sql`coalesce(${sql.ref('e.charged')}, 0)`, '<>', sql.ref('orders.charge_units')),
        eb(sql`coalesce(${sql.ref('e.refunded')}, 0)`, '<>', sql.ref('orders.refunded_units')),
        eb('orders.refunded_units', '>', eb.ref('orders.charge_units')),
      ]),
    )
    .execute();
}

export async function ledgerTotals(db: Executor) {
  const accounts = await db
    .selectFrom('accounts')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('balance_units').as('balance')])
    .executeTakeFirstOrThrow();
  const entries = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  const orders = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return {
    accounts: Number(accounts.count),
    balanceUnits: Number(accounts.balance ?? 0),
    entries: Number(entries.count),
    orders: Number(orders.count),
  };
}
