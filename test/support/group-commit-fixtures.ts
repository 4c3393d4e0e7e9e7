import type { NewOrder } from '../../src/app/place-order-batch.js';
import type { DomainError } from '../../src/domain/errors.js';
import type { Executor } from '../../src/storage/schema.js';
import type { TestDatabase } from './databases.js';

/** A bare account row: the group-commit tests need rows to write, not a real customer. */
export async function insertAccount(trx: Executor, email: string): Promise<number> {
  const row = await trx
    .insertInto('accounts')
    .values({ email, password_hash: 'x', role: 'user', status: 'active', balance_units: 0, created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The emails stored, sorted: what the committed jobs left behind. */
export async function emails(db: TestDatabase): Promise<string[]> {
  const rows = await db.storage.db.selectFrom('accounts').select('email').orderBy('email').execute();
  return rows.map((row) => row.email);
}

/** A plain order of a batch whose charge is its quantity (a service at 1 unit per unit), placed at `atMs`. */
export function batchOrder(
  accountId: number,
  serviceId: number,
  chargeUnits: number,
  atMs: number,
): NewOrder {
  return {
    account_id: accountId,
    service_id: serviceId,
    link: 'https://www.instagram.com/p/ABCDE12345/',
    quantity: chargeUnits,
    comments: null,
    charge_units: chargeUnits,
    status: 'Pending',
    remains: chargeUnits,
    runs: null,
    interval_minutes: null,
    created_at: atMs,
    updated_at: atMs,
    cost_per_1000_units: null,
    cost_units: null,
  };
}

/** An account's charge entries in the ledger, oldest first: what a batch wrote for it. */
export function chargeEntries(db: TestDatabase, accountId: number) {
  return db.ctx.db
    .selectFrom('ledger_entries')
    .select(['order_id', 'amount_units', 'balance_after_units'])
    .where('account_id', '=', accountId)
    .where('kind', '=', 'charge')
    .orderBy('id')
    .execute();
}

/** The refusals among settled placements, as [code, details], in the order placed. */
export function refusalsOf(settled: readonly PromiseSettledResult<unknown>[]): [string, unknown][] {
  return settled.flatMap((s) =>
    s.status === 'rejected' ? [[(s.reason as DomainError).code, (s.reason as DomainError).details]] : [],
  ) as [string, unknown][];
}

/**
 * Charges of 600, 500, 300, 100 and 50 on a balance of 1,000, placed together and decided as one
 * by one would (contract §6): the 500 and the 50 are refused, each against what the orders before
 * it left. Whatever path stores them, these are the outcomes.
 */
export const DECIDED_ONE_BY_ONE = {
  openingUnits: 1000,
  charges: [600, 500, 300, 100, 50],
  statuses: ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected'],
  refusals: [
    ['insufficient_balance', { requiredUnits: 500, availableUnits: 400 }],
    ['insufficient_balance', { requiredUnits: 50, availableUnits: 0 }],
  ],
} as const;
