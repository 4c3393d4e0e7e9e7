/**
 * The growth data set, written in bulk by SQL (not through the API, which would take hours):
 * `orders` orders spread over a thousand customers, each with its charge, and four more ledger
 * entries per order (deposits), so five ledger entries per order. Balances are not made to
 * match their entries: the growth section measures reads and new orders, not `ledger verify`.
 */
import { sql } from 'kysely';
import type { Storage } from '../../src/storage/connection.js';

const CUSTOMERS = 1_000;
const BATCH_ORDERS = 50_000;
const DAY_MS = 86_400_000;

export async function buildGrowthData(
  storage: Storage,
  options: { orders: number; serviceId: number; nowMs: number },
): Promise<{ customerIds: number[] }> {
  const db = storage.db;
  const series = (from: number, to: number) =>
    storage.kind === 'postgres'
      ? sql`select generate_series(${from}::bigint, ${to}::bigint) as n`
      : sql`with recursive s(n) as (select ${from} union all select n + 1 from s where n < ${to}) select n from s`;
  await sql`insert into accounts (email, password_hash, role, status, balance_units, created_at)
    select 'grown' || n || '@example.com', 'x', 'user', 'active', 1000000000, ${options.nowMs}
    from (${series(1, CUSTOMERS)}) as s`.execute(db);
  const customers = await sql<{
    id: number;
  }>`select id from accounts where email like 'grown%' order by id`.execute(db);
  const firstId = Number(customers.rows[0]?.id);
  for (let from = 1; from <= options.orders; from += BATCH_ORDERS) {
    const to = Math.min(options.orders, from + BATCH_ORDERS - 1);
    const before = await sql<{ id: number | null }>`select max(id) as id from orders`.execute(db);
    const lastIdBefore = Number(before.rows[0]?.id ?? 0);
    // Spread over the last year; most orders finished long ago, as in a real panel.
    await sql`insert into orders (account_id, service_id, link, quantity, comments, charge_units, status,
        remains, created_at, updated_at)
      select ${firstId} + (n % ${CUSTOMERS}), ${options.serviceId}, 'https://www.instagram.com/p/GROWTH' || n || '/',
        100, null, 1000, case when n % 50 = 0 then 'Pending' when n % 7 = 0 then 'Canceled' else 'Completed' end,
        0, ${options.nowMs - 365 * DAY_MS} + n * ${Math.floor((365 * DAY_MS) / options.orders)}, ${options.nowMs}
      from (${series(from, to)}) as s`.execute(db);
    await sql`insert into ledger_entries (account_id, kind, amount_units, balance_after_units, order_id, created_at)
      select account_id, 'charge', -charge_units, 1000000000, id, created_at from orders
      where id > ${lastIdBefore}`.execute(db);
    await sql`insert into ledger_entries (account_id, kind, amount_units, balance_after_units, order_id, created_at)
      select ${firstId} + (n % ${CUSTOMERS}), 'deposit', 250, 1000000000, null,
        ${options.nowMs - 365 * DAY_MS} + n * ${Math.floor((365 * DAY_MS) / (4 * options.orders))}
      from (${series(4 * from - 3, 4 * to)}) as s`.execute(db);
  }
  // Fresh statistics, as a database that grew over a year would have.
  await sql`analyze`.execute(db);
  return { customerIds: customers.rows.map((row) => Number(row.id)) };
}
