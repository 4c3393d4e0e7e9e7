import { sql } from 'kysely';
import type { OrderStatus } from '../domain/order-lifecycle.js';
import type { AccountRow, Executor, OrderRow } from './schema.js';

/** The admin pages' reads across every account: one place for their SQL. */

export interface PageWindow {
  limit: number;
  offset: number;
}

/** `lower(column) like '%text%'` with LIKE's own wildcards in the text matched literally. */
export function containsText(column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // ESCAPE is spelled out: SQLite has no default escape character, PostgreSQL's is '\'.
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

const asId = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined);

export interface CustomerListRow
  extends Omit<
    AccountRow,
    | 'password_hash'
    | 'is_suspended_for_outstanding'
    | 'api_profile'
    | 'email_verified_at'
    | 'language'
    | 'low_balance_threshold_units'
    | 'is_low_balance_notified'
  > {
  order_count: number;
}

/** Accounts by id (exact) or part of the email, newest first, with how many orders each placed. */
export async function searchAccounts(
  db: Executor,
  filter: { search?: string; status?: string },
  page: PageWindow,
): Promise<{ rows: CustomerListRow[]; total: number }> {
  let query = db.selectFrom('accounts');
  if (filter.status) query = query.where('accounts.status', '=', filter.status as AccountRow['status']);
  const search = filter.search?.trim();
  if (search) {
    const id = asId(search);
    const byEmail = containsText('accounts.email', search);
    query = query.where((eb) => (id === undefined ? byEmail : eb.or([eb('accounts.id', '=', id), byEmail])));
  }
  const count = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .select(['id', 'email', 'role', 'status', 'balance_units', 'outstanding_units', 'created_at'])
    .select((eb) =>
      eb
        .selectFrom('orders')
        .select((o) => o.fn.countAll<number | string>().as('c'))
        .whereRef('orders.account_id', '=', 'accounts.id')
        .as('order_count'),
    )
    .orderBy('accounts.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    rows: rows.map((row) => ({
      ...row,
      balance_units: Number(row.balance_units),
      outstanding_units: Number(row.outstanding_units),
      created_at: Number(row.created_at),
      order_count: Number(row.order_count ?? 0),
    })),
    total: Number(count.n),
  };
}

export interface AdminOrderRow extends OrderRow {
  email: string;
  service_name: string | null;
}

export interface AdminOrderFilter {
  /** An order id (exact), part of a link or part of the customer's email. */
  search?: string;
  status?: OrderStatus;
  accountId?: number;
  serviceId?: number;
}

function filteredOrders(db: Executor, filter: AdminOrderFilter) {
  let query = db
    .selectFrom('orders')
    .innerJoin('accounts', 'accounts.id', 'orders.account_id')
    .leftJoin('services', 'services.id', 'orders.service_id');
  if (filter.status) query = query.where('orders.status', '=', filter.status);
  if (filter.accountId !== undefined) query = query.where('orders.account_id', '=', filter.accountId);
  if (filter.serviceId !== undefined) query = query.where('orders.service_id', '=', filter.serviceId);
  const search = filter.search?.trim();
  if (search) {
    const id = asId(search);
    query = query.where((eb) => {
      const text = [containsText('orders.link', search), containsText('accounts.email', search)];
      return eb.or(id === undefined ? text : [eb('orders.id', '=', id), ...text]);
    });
  }
  return query;
}

/** Orders of every customer, newest first, with the customer's email and the service's name. */
export async function searchOrders(
  db: Executor,
  filter: AdminOrderFilter,
  page: PageWindow,
): Promise<{ rows: AdminOrderRow[]; total: number }> {
  const query = filteredOrders(db, filter);
  const count = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('orders')
    .select(['accounts.email as email', 'services.name as service_name'])
    .orderBy('orders.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows: rows as AdminOrderRow[], total: Number(count.n) };
}

export function findAdminOrder(db: Executor, orderId: number): Promise<AdminOrderRow | undefined> {
  return db
    .selectFrom('orders')
    .innerJoin('accounts', 'accounts.id', 'orders.account_id')
    .leftJoin('services', 'services.id', 'orders.service_id')
    .selectAll('orders')
    .select(['accounts.email as email', 'services.name as service_name'])
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
}

const HOUR_MS = 3_600_000;

/**
 * Charges and refunds since `fromMs`, summed per hour (epoch hour number): the overview turns
 * hours into Rome's days. Integer division works alike on both databases, and Rome's offset
 * from UTC is always whole hours, so no SQL date function is needed.
 */
export async function moneyByHour(
  db: Executor,
  fromMs: number,
): Promise<{ hour: number; kind: 'charge' | 'refund'; units: number }[]> {
  const hour = sql<number | string>`${sql.ref('created_at')} / ${sql.lit(HOUR_MS)}`;
  const rows = await db
    .selectFrom('ledger_entries')
    .select([hour.as('hour'), 'kind'])
    .select((eb) => eb.fn.sum<number | string>('amount_units').as('units'))
    .where('kind', 'in', ['charge', 'refund'])
    .where('created_at', '>=', fromMs)
    .groupBy([hour, 'kind'])
    .execute();
  return rows.map((row) => ({
    hour: Number(row.hour),
    kind: row.kind as 'charge' | 'refund',
    units: Number(row.units ?? 0),
  }));
}

export async function countOrdersByStatus(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('orders')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.n)]));
}

export async function countCustomers(
  db: Executor,
  sinceMs: number,
): Promise<{ active: number; suspended: number; ordering: number }> {
  const rows = await db
    .selectFrom('accounts')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('role', '=', 'user')
    .groupBy('status')
    .execute();
  const byStatus = new Map(rows.map((row) => [row.status, Number(row.n)]));
  const ordering = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.count<number | string>('account_id').distinct().as('n'))
    .where('created_at', '>=', sinceMs)
    .executeTakeFirstOrThrow();
  return {
    active: byStatus.get('active') ?? 0,
    suspended: byStatus.get('suspended') ?? 0,
    ordering: Number(ordering.n),
  };
}

export interface AuditFilter {
  /** Part of the actor's name. */
  actor?: string;
  /** An action prefix: `account.`, `order.cancel` … */
  action?: string;
  accountId?: number;
}

export interface AuditRow {
  id: number;
  actor: string;
  action: string;
  target_account_id: number | null;
  target_email: string | null;
  details_json: string;
  created_at: number;
}

export async function searchAudit(
  db: Executor,
  filter: AuditFilter,
  page: PageWindow,
): Promise<{ rows: AuditRow[]; total: number }> {
  let query = db.selectFrom('audit_log').leftJoin('accounts', 'accounts.id', 'audit_log.target_account_id');
  if (filter.actor?.trim()) query = query.where(containsText('audit_log.actor', filter.actor.trim()));
  if (filter.action?.trim()) {
    const prefix = `${filter.action.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`${sql.ref('audit_log.action')} like ${prefix} escape '\\'`);
  }
  if (filter.accountId !== undefined)
    query = query.where('audit_log.target_account_id', '=', filter.accountId);
  const count = await query
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'audit_log.id',
      'audit_log.actor',
      'audit_log.action',
      'audit_log.target_account_id',
      'accounts.email as target_email',
      'audit_log.details_json',
      'audit_log.created_at',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    rows: rows.map((row) => ({ ...row, id: Number(row.id), created_at: Number(row.created_at) })),
    total: Number(count.n),
  };
}
