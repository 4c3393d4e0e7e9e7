import { sql } from 'kysely';
import type { ApiProfile } from '../domain/api-profile.js';
import { bySlices } from './id-slices.js';
import type { AccountRole, AccountRow, AccountStatus, Executor, MailLanguage } from './schema.js';
import { asId, containsText, type PageWindow } from './text-search.js';

export async function insertAccount(
  db: Executor,
  account: {
    email: string;
    passwordHash: string;
    role: AccountRole;
    createdAt: number;
    emailVerifiedAt: number | null;
    language?: MailLanguage;
  },
): Promise<number> {
  const row = await db
    .insertInto('accounts')
    .values({
      email: account.email,
      password_hash: account.passwordHash,
      role: account.role,
      status: 'active',
      balance_units: 0,
      created_at: account.createdAt,
      email_verified_at: account.emailVerifiedAt,
      ...(account.language ? { language: account.language } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findAccountById(db: Executor, id: number): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAccountByEmail(db: Executor, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
}

export type KeyHolder = Pick<AccountRow, 'id' | 'status' | 'role' | 'api_profile'>;

/**
 * The account behind an active (not revoked) API key: one indexed lookup, on a key cache miss
 * (src/app/api-key-cache.ts). Every uncached API request runs it, and building it with the query builder cost more than running it
 * (npm run bench: 40% more requests per second this way), so it is written out once; the
 * SQL is the same on SQLite and PostgreSQL, and the key hash is a bound parameter.
 */
export async function findAccountByActiveKeyHash(
  db: Executor,
  keyHash: string,
): Promise<KeyHolder | undefined> {
  const { rows } = await sql<KeyHolder>`
    select accounts.id, accounts.status, accounts.role, accounts.api_profile
    from api_keys inner join accounts on accounts.id = api_keys.account_id
    where api_keys.key_hash = ${keyHash} and api_keys.revoked_at is null`.execute(db);
  return rows[0];
}

/**
 * The balance `balance` answers, on every such request: written out, like the key lookup above,
 * because building it with the query builder cost more than running it.
 */
export async function readBalanceUnits(db: Executor, accountId: number): Promise<number | undefined> {
  const { rows } = await sql<{ balance_units: number }>`
    select balance_units from accounts where id = ${accountId}`.execute(db);
  return rows[0]?.balance_units;
}

export async function getBalanceUnits(db: Executor, accountId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select('balance_units')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.balance_units;
}

/**
 * Locks the account's row until the transaction ends and returns it as it now stands. An UPDATE
 * that changes nothing does this in one statement on both databases: PostgreSQL takes the row
 * lock (as SELECT ... FOR UPDATE would) and reads the latest committed row; on SQLite the
 * transaction already holds the write lock (BEGIN IMMEDIATE), so nobody else can change it.
 */
export function lockAccountRow(db: Executor, accountId: number): Promise<AccountRow | undefined> {
  return db
    .updateTable('accounts')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', accountId)
    .returningAll()
    .executeTakeFirst();
}

export type BalanceChange =
  | { isApplied: true; balanceAfterUnits: number }
  /** The balance the refusal was decided on, under the row lock: it does not cover the debit. */
  | { isApplied: false; balanceUnits: number };

/**
 * Adds `deltaUnits` (negative to debit) to the balance only if the result stays at or above
 * zero. The condition is in the UPDATE itself, so no interleaving can overspend (contract §3).
 */
export async function changeBalanceIfCovered(
  db: Executor,
  accountId: number,
  deltaUnits: number,
): Promise<BalanceChange> {
  const update = () =>
    db
      .updateTable('accounts')
      .set((eb) => ({ balance_units: eb('balance_units', '+', deltaUnits) }))
      .where('id', '=', accountId)
      .where('balance_units', '>=', -deltaUnits)
      .returning('balance_units')
      .executeTakeFirst();
  const applied = await update();
  if (applied) return { isApplied: true, balanceAfterUnits: applied.balance_units };
  // A refusal states the balance it was decided on (contract §3's "Available"), so read it under
  // the row lock. A credit committed since the UPDATE may now cover the debit: then apply it, as
  // the refusal would otherwise name a balance that is enough.
  const balanceUnits = (await lockAccountRow(db, accountId))?.balance_units ?? 0;
  if (balanceUnits + deltaUnits < 0) return { isApplied: false, balanceUnits };
  const retried = await update();
  return retried
    ? { isApplied: true, balanceAfterUnits: retried.balance_units }
    : { isApplied: false, balanceUnits };
}

export async function updateAccountStatus(
  db: Executor,
  accountId: number,
  status: AccountStatus,
): Promise<void> {
  // An operator's decision replaces a suspension the panel made for an outstanding amount.
  await db
    .updateTable('accounts')
    .set({ status, is_suspended_for_outstanding: 0 })
    .where('id', '=', accountId)
    .execute();
}

export async function updateApiProfile(db: Executor, accountId: number, profile: ApiProfile): Promise<void> {
  await db.updateTable('accounts').set({ api_profile: profile }).where('id', '=', accountId).execute();
}

export async function setPasswordHash(db: Executor, accountId: number, passwordHash: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', accountId).execute();
}

export async function addOutstandingUnits(
  db: Executor,
  accountId: number,
  deltaUnits: number,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set((eb) => ({ outstanding_units: eb('outstanding_units', '+', deltaUnits) }))
    .where('id', '=', accountId)
    .execute();
}

/** Suspends for an outstanding amount, or lifts that suspension; an operator's own stays. */
export async function setSuspendedForOutstanding(
  db: Executor,
  accountId: number,
  isSuspended: boolean,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ status: isSuspended ? 'suspended' : 'active', is_suspended_for_outstanding: isSuspended ? 1 : 0 })
    .where('id', '=', accountId)
    .execute();
}

/** The owner proved the address (the first time counts). */
export async function markEmailVerified(db: Executor, accountId: number, nowMs: number): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ email_verified_at: nowMs })
    .where('id', '=', accountId)
    .where('email_verified_at', 'is', null)
    .execute();
}

export async function setMailPreferences(
  db: Executor,
  accountId: number,
  preferences: { language: MailLanguage; lowBalanceThresholdUnits: number | null },
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      language: preferences.language,
      low_balance_threshold_units: preferences.lowBalanceThresholdUnits,
      is_low_balance_notified: 0,
    })
    .where('id', '=', accountId)
    .execute();
}

/**
 * Once per crossing: marks the account notified when its balance is now below its threshold
 * and it was not notified yet, returning what the mail says; undefined otherwise.
 */
export async function takeLowBalanceCrossing(
  db: Executor,
  accountId: number,
): Promise<{ balanceUnits: number; thresholdUnits: number } | undefined> {
  const row = await db
    .updateTable('accounts')
    .set({ is_low_balance_notified: 1 })
    .where('id', '=', accountId)
    .where('is_low_balance_notified', '=', 0)
    .where('low_balance_threshold_units', 'is not', null)
    .where((eb) => eb('balance_units', '<', eb.ref('low_balance_threshold_units')))
    .returning(['balance_units', 'low_balance_threshold_units'])
    .executeTakeFirst();
  if (!row) return undefined;
  return { balanceUnits: Number(row.balance_units), thresholdUnits: Number(row.low_balance_threshold_units) };
}

/** Back at or above the threshold: the next fall below it is mailed again. */
export async function rearmLowBalance(db: Executor, accountId: number): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ is_low_balance_notified: 0 })
    .where('id', '=', accountId)
    .where('is_low_balance_notified', '=', 1)
    .where((eb) => eb('balance_units', '>=', eb.ref('low_balance_threshold_units')))
    .execute();
}

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

export function listAccountEmails(db: Executor, accountIds: number[]) {
  return bySlices(accountIds, (slice) =>
    db.selectFrom('accounts').select(['id', 'email']).where('id', 'in', slice).execute(),
  );
}
