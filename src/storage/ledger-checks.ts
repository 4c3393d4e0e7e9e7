import { sql } from 'kysely';
import type { Executor } from './schema.js';

/**
 * The ledger's invariants as queries: each returns the rows that break one. An empty result
 * everywhere is what `inspiria ledger verify` reports as clean. The ledger itself is
 * append-only, so what these catch is drift around it: a balance, an order or an entry
 * written by something other than `postLedgerEntry` and the order use cases.
 */

const orZero = (ref: string) => sql<number>`coalesce(${sql.ref(ref)}, 0)`;

/** Accounts whose balance is not the sum of their entries, or disagrees with their last entry. */
export function accountsWithBalanceMismatch(db: Executor) {
  return db
    .selectFrom('accounts')
    .leftJoin(
      db
        .selectFrom('ledger_entries')
        .select((eb) => [
          'account_id',
          eb.fn.sum<number>('amount_units').as('total'),
          eb.fn.count<number>('id').as('entries'),
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
      'sums.entries',
      'last.id as last_id',
      'last.balance_after_units as last_balance_after',
    ])
    .where((eb) =>
      eb.or([
        eb(orZero('sums.total'), '<>', eb.ref('accounts.balance_units')),
        eb.and([
          eb('last.id', 'is not', null),
          eb('last.balance_after_units', '<>', eb.ref('accounts.balance_units')),
        ]),
      ]),
    )
    .orderBy('accounts.id')
    .execute();
}

/** contract §3: accounts whose balance is below zero (the CHECK constraint makes this a guard). */
export function accountsBelowZero(db: Executor) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'balance_units'])
    .where('balance_units', '<', 0)
    .orderBy('id')
    .execute();
}

/**
 * Entries whose recorded balance after is not the running sum of the account's entries up to
 * them, or is below zero: a balance that went below zero at some point, or a lost entry.
 */
export function entriesWithRunningBalanceMismatch(db: Executor) {
  return db
    .selectFrom(
      db
        .selectFrom('ledger_entries')
        .select((eb) => [
          'id',
          'account_id',
          'balance_after_units',
          eb.fn
            .sum<number>('amount_units')
            .over((over) => over.partitionBy('account_id').orderBy('id'))
            .as('running'),
        ])
        .as('r'),
    )
    .selectAll()
    .where((eb) => eb.or([eb('running', '<>', eb.ref('balance_after_units')), eb('running', '<', 0)]))
    .orderBy('id')
    .execute();
}

/**
 * Orders whose entries disagree with them: not exactly one charge, more than one refund,
 * refunds above the charge, an entry on another account, or the order's own charge or
 * refunded figure not what its entries say.
 */
export function ordersWithLedgerMismatch(db: Executor) {
  return db
    .selectFrom('orders')
    .leftJoin(
      db
        .selectFrom('ledger_entries')
        .innerJoin('orders as o', 'o.id', 'ledger_entries.order_id')
        .select((eb) => {
          const count = (kind: 'charge' | 'refund') =>
            eb.fn.sum<number>(eb.case().when('ledger_entries.kind', '=', kind).then(1).else(0).end());
          const amount = (kind: 'charge' | 'refund') =>
            eb.fn.sum<number>(
              eb
                .case()
                .when('ledger_entries.kind', '=', kind)
                .then(eb.ref('ledger_entries.amount_units'))
                .else(0)
                .end(),
            );
          const isForeign = eb
            .case()
            .when('ledger_entries.account_id', '<>', eb.ref('o.account_id'))
            .then(1)
            .else(0)
            .end();
          return [
            'ledger_entries.order_id',
            count('charge').as('charges'),
            count('refund').as('refunds'),
            amount('charge').as('charged'),
            amount('refund').as('refunded'),
            eb.fn.sum<number>(isForeign).as('foreign_entries'),
          ];
        })
        .groupBy('ledger_entries.order_id')
        .as('e'),
      'e.order_id',
      'orders.id',
    )
    .select([
      'orders.id',
      'orders.account_id',
      'orders.charge_units',
      'orders.refunded_units',
      'e.charges',
      'e.refunds',
      'e.charged',
      'e.refunded',
      'e.foreign_entries',
    ])
    .where((eb) =>
      eb.or([
        eb(orZero('e.charges'), '<>', 1),
        eb(orZero('e.refunds'), '>', 1),
        eb(orZero('e.foreign_entries'), '>', 0),
        // The charge entry is negative: charged + charge_units is zero when they agree.
        eb(sql`${orZero('e.charged')} + ${sql.ref('orders.charge_units')}`, '<>', 0),
        eb(orZero('e.refunded'), '<>', eb.ref('orders.refunded_units')),
        eb(sql`${orZero('e.refunded')} + ${orZero('e.charged')}`, '>', 0),
        eb('orders.refunded_units', '>', eb.ref('orders.charge_units')),
      ]),
    )
    .orderBy('orders.id')
    .execute();
}

/** Charge and refund entries that name no existing order (the foreign key makes this a guard). */
export function orderEntriesWithoutOrder(db: Executor) {
  return db
    .selectFrom('ledger_entries')
    .leftJoin('orders', 'orders.id', 'ledger_entries.order_id')
    .select(['ledger_entries.id', 'ledger_entries.kind', 'ledger_entries.order_id'])
    .where('ledger_entries.kind', 'in', ['charge', 'refund'])
    .where('orders.id', 'is', null)
    .orderBy('ledger_entries.id')
    .execute();
}

export async function ledgerTotals(db: Executor) {
  const accounts = await db
    .selectFrom('accounts')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('balance_units').as('balance')])
    .executeTakeFirstOrThrow();
  const entries = await db
    .selectFrom('ledger_entries')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('amount_units').as('total')])
    .executeTakeFirstOrThrow();
  const orders = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return {
    accounts: Number(accounts.count),
    balanceUnits: Number(accounts.balance ?? 0),
    entries: Number(entries.count),
    entriesTotalUnits: Number(entries.total ?? 0),
    orders: Number(orders.count),
  };
}
