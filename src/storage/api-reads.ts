import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import type { ApiProfile } from '../domain/api-profile.js';
import { batchPerTurn, coalescePerTurn } from './pg-read-turn.js';
import type { AccountStatus, Database, ServiceRow } from './schema.js';
import { findService } from './services-repository.js';
import { type CommitSyncState, NEVER_SYNCING } from './sqlite-driver.js';
import { type ReadInTurn, sqliteReadTurn } from './sqlite-read-turn.js';
import { type KeptAnswer, StatusAnswersKept } from './status-answers-kept.js';

/** The account behind an active (not revoked) API key, as it stands now. */
export interface KeyedAccount {
  readonly id: number;
  readonly status: AccountStatus;
  readonly api_profile: ApiProfile;
}

export interface KeyedBalance extends KeyedAccount {
  readonly balance_units: number;
}

export interface KeyedStatuses {
  /** undefined: the key is unknown or revoked (then no order is read). */
  readonly account: KeyedAccount | undefined;
  /**
   * The orders asked for, in ascending id order, as the members of a JSON object: `"<id>":<answer>`
   * joined by commas, the answer being contract §7's object as `status` words it for the
   * account's profile (§13), or `null` for an id the account does not own or nobody does.
   * Empty when no id was asked.
   */
  readonly members: string;
}

/**
 * The reads the busiest API actions need, each checking the key in the same statement: a
 * revoked key or a suspended account is seen by the very next `balance` or `status` on every
 * node, with no key lookup before and no cache to invalidate. Written out rather than built
 * with the query builder (and prepared once: better-sqlite3 statements, named PostgreSQL
 * statements), because on these paths building and planning a query cost more than running it
 * (npm run bench, BENCH_PROFILE=1).
 */
export interface ApiReads {
  balanceByKey(keyHash: string): Promise<KeyedBalance | undefined>;
  /** `orderIds` distinct and ascending, the order the answer names them in. */
  statusesByKey(keyHash: string, orderIds: readonly number[]): Promise<KeyedStatuses>;
  /** The batches' answers this node keeps between polls (status-answers-kept.ts). */
  readonly statusAnswers: StatusAnswersKept;
  /**
   * The key alone, for the actions whose own statements do not check it. `false` when the
   * node's key cache already sees every change by the next request (SQLite's change stamp).
   */
  readonly needsKeyCheck: boolean;
  keyAccount(keyHash: string): Promise<KeyedAccount | undefined>;
  /** The service an `add` names, read afresh (PostgreSQL: with the turn's other `add`s). */
  serviceById(serviceId: number): Promise<ServiceRow | undefined>;
}

const SERVICE_BY_ID = 'select * from services where id = ?';

const KEYED_ACCOUNT = `select a.id, a.status, a.api_profile, a.balance_units
  from api_keys k inner join accounts a on a.id = k.account_id
  where k.key_hash = ? and k.revoked_at is null`;

/**
 * SQLite's row: the key's account, its stamp (migration 024), whether the kept answer is still
 * the answer, and else, as one text, the answer's members (KeyedStatuses), each order's answer
 * being its `status_wire` (migration 021) as the account's profile words it: the database reads
 * a hundred stored texts and joins them, where formatting a hundred rows in JavaScript, or even
 * parsing them, cost twice as much (npm run bench, `status ×100`). No row: the key is unknown or
 * revoked.
 */
type KeyedStatusRow = [
  accountId: number,
  accountStatus: AccountStatus,
  apiProfile: ApiProfile,
  stamp: number,
  isKept: number,
  members: string | null,
];

/**
 * contract §13: the `perfectpanel` profile has no `Error`; such an order is reported as what
 * its refund made it, `Canceled` when nothing was delivered (all was refunded), else `Partial`.
 * The one place the answer differs by profile, so the stored text is reworded here, in SQL.
 */
const PERFECTPANEL_WIRE = `case when o.status = 'Error'
    then replace(o.status_wire, '"status":"Error"',
      case when o.remains >= o.quantity then '"status":"Canceled"' else '"status":"Partial"' end)
    else o.status_wire end`;

/** SQLite: the profile checked on each row, as the statement names its one parameter of ids once. */
const PROFILED_WIRE = `case when a.api_profile = 'perfectpanel' then ${PERFECTPANEL_WIRE} else o.status_wire end`;

/**
 * PostgreSQL: `answers(wire)` for the account's profile, chosen once per request rather than
 * once per order (the check on every row cost it a tenth of the statement).
 */
const byProfile = (answers: (wire: string) => string) =>
  `case when a.api_profile = 'perfectpanel' then ${answers(PERFECTPANEL_WIRE)} else ${answers('o.status_wire')} end`;

/** What one `status` statement found: the key's account, and the answer or that the kept one holds. */
interface StatusesRead {
  readonly account: KeyedAccount;
  readonly stamp: number;
  /** The kept answer is still the answer, and no order was read. */
  readonly isKept: boolean;
  readonly members: string;
  /** Every id asked was found: the answer may be kept. */
  readonly isComplete: boolean;
}

const NOTHING_KEPT = { kept_account: null, kept_profile: null, kept_stamp: null };

/** The kept answer as the statements' parameters name it. */
const keptParameters = (kept: KeptAnswer | undefined) =>
  kept
    ? { kept_account: kept.accountId, kept_profile: kept.apiProfile, kept_stamp: kept.stamp }
    : NOTHING_KEPT;

/**
 * A batch's statuses, answered from what `answers` kept when the statement finds it still the
 * answer, else as read, and then kept if every id was found (status-answers-kept.ts). `read`
 * gets the ids joined by commas too, the text both databases' parameters are written from.
 */
async function statusesKeptIn(
  answers: StatusAnswersKept,
  keyHash: string,
  orderIds: readonly number[],
  read: (kept: KeptAnswer | undefined, idsText: string) => Promise<StatusesRead | undefined>,
): Promise<KeyedStatuses> {
  const idsText = orderIds.join(',');
  const kept = orderIds.length > 0 ? answers.get(keyHash, idsText) : undefined;
  const found = await read(kept, idsText);
  if (!found) {
    if (kept) answers.forget(keyHash, idsText);
    return { account: undefined, members: '' };
  }
  const { account, stamp, members } = found;
  if (found.isKept && kept) {
    answers.stats.hits += 1;
    return { account, members: kept.members };
  }
  answers.stats.misses += 1;
  if (found.isComplete && orderIds.length > 0) {
    answers.keep(keyHash, idsText, {
      accountId: account.id,
      apiProfile: account.api_profile,
      stamp,
      members,
    });
  } else if (kept) answers.forget(keyHash, idsText);
  return { account, members };
}

/**
 * The kept answer (status-answers-kept.ts) is still the answer: the same account, profile and
 * stamp (migration 024) as when it was read. Its parameters, and the ids' and key's, come once
 * from `p`, as better-sqlite3 numbers no parameter.
 */
const SQLITE_IS_KEPT = `coalesce(a.id = p.kept_account and a.api_profile = p.kept_profile
    and coalesce(st.stamp, 0) = p.kept_stamp, 0)`;

/**
 * Each id asked for picks its row by primary key, and the account only filters it: a hundred
 * lookups however many orders the account has (`+` keeps the planner off the account's index).
 * The answers come in the array's order, ascending, with no ORDER BY (which cost half the
 * statement again): the left join makes the ids the outer loop, and json_each yields them in
 * array order (test/status-wire.test.ts asks in a shuffled order). No order is read while the
 * kept answer is still the answer (CASE evaluates its branch only when taken).
 */
const SQLITE_STATUSES = `with p as (select ? as ids, ? as key_hash, ? as kept_account, ? as kept_profile,
    ? as kept_stamp)
  select a.id, a.status, a.api_profile, coalesce(st.stamp, 0) as stamp, ${SQLITE_IS_KEPT} as is_kept,
    case when ${SQLITE_IS_KEPT} then null else
      (select group_concat('"' || j.value || '":' || coalesce(${PROFILED_WIRE}, 'null'), ',')
        from json_each(p.ids) j left join orders o on o.id = j.value and +o.account_id = a.id) end as members
  from p
  inner join api_keys k on k.key_hash = p.key_hash and k.revoked_at is null
  inner join accounts a on a.id = k.account_id
  left join order_status_stamps st on st.account_id = a.id`;

/** Services kept at most: a node's catalogue, never what unknown ids could fill. */
const MAX_KEPT_SERVICES = 1000;

/**
 * SQLite: the service rows `add` reads, kept under the stamp of migration 022 read just before
 * each was read, and good while the stamp is unchanged. Reading a service while group commit
 * holds this connection's transaction open meant waiting for its commit through the query
 * builder, 8 to 10 µs of an `add`; the stamp is read in the turn's read transaction, or inside
 * the open one (as the key cache's is, api-key-changes.ts): a stamp an uncommitted change moved
 * only costs a read, and the row is then read once that change has committed or rolled back.
 */
function servicesKeptBy(
  statement: (text: string) => SqliteDatabase.Statement,
  readInTurn: ReadInTurn,
  readService: (serviceId: number) => Promise<ServiceRow | undefined>,
): (serviceId: number) => Promise<ServiceRow | undefined> {
  const kept = new Map<number, { stamp: unknown; row: ServiceRow }>();
  let stampStatement: SqliteDatabase.Statement | undefined;
  const readStamp = () => {
    try {
      stampStatement ??= statement('select stamp from service_changes where id = 1').pluck();
      return stampStatement.get();
    } catch {
      return undefined; // not migrated yet: nothing is kept
    }
  };
  return async (serviceId) => {
    const stamp = await readInTurn(readStamp, async () => readStamp());
    const found = kept.get(serviceId);
    if (stamp !== undefined && found?.stamp === stamp) return found.row;
    const row = await readService(serviceId);
    if (stamp !== undefined && row) {
      if (kept.size >= MAX_KEPT_SERVICES) kept.clear();
      // Shared by every `add` that names it: frozen, so none can change it for the others.
      kept.set(serviceId, { stamp, row: Object.freeze(row) });
    }
    return row;
  };
}

/**
 * SQLite: better-sqlite3 runs a statement synchronously, so outside a transaction a read
 * straight on the connection sees the last commit, as Kysely's would, without its queue; the
 * `balance`, `status` and `add`'s service reads of one turn share one read transaction
 * (sqlite-read-turn.ts). Group
 * commit keeps a transaction open across awaits on the same connection, and a commit's fsync
 * runs after it (sqlite-driver.ts): then the read goes through Kysely, which waits for the
 * commit to be on the disk, so nothing uncommitted or not yet durable is ever answered.
 */
export function sqliteApiReads(
  database: SqliteDatabase.Database,
  db: Kysely<Database>,
  readInTurn: ReadInTurn = sqliteReadTurn(database),
  commitSync: Pick<CommitSyncState, 'isSyncing'> = NEVER_SYNCING,
): ApiReads {
  const prepared = new Map<string, SqliteDatabase.Statement>();
  const statement = (text: string) => {
    let found = prepared.get(text);
    if (!found) {
      found = database.prepare(text);
      prepared.set(text, found);
    }
    return found;
  };
  async function all<T>(text: string, parameters: unknown[]): Promise<T[]> {
    if (!database.inTransaction && !commitSync.isSyncing) return statement(text).all(...parameters) as T[];
    const query = sql.raw(text).compile(db);
    const { rows } = await db.executeQuery<T>({ ...query, parameters });
    return rows;
  }
  const answers = new StatusAnswersKept();
  // Prepared on first use: the tables do not exist before the migrations have run.
  let rawStatuses: SqliteDatabase.Statement | undefined;
  const statusRow = (parameters: unknown[]) =>
    readInTurn(
      () => {
        rawStatuses ??= database.prepare(SQLITE_STATUSES).raw(true);
        return rawStatuses.get(...parameters) as KeyedStatusRow | undefined;
      },
      async () => {
        // Every column has its own name, so an object's values are the row in column order.
        const [row] = await all<Record<string, unknown>>(SQLITE_STATUSES, parameters);
        return row && (Object.values(row) as KeyedStatusRow);
      },
    );
  return {
    needsKeyCheck: false,
    balanceByKey: (keyHash) =>
      readInTurn(
        () => statement(KEYED_ACCOUNT).get(keyHash) as KeyedBalance | undefined,
        async () => (await all<KeyedBalance>(KEYED_ACCOUNT, [keyHash]))[0],
      ),
    keyAccount: async (keyHash) => (await all<KeyedBalance>(KEYED_ACCOUNT, [keyHash]))[0],
    serviceById: servicesKeptBy(statement, readInTurn, (serviceId) =>
      readInTurn(
        () => statement(SERVICE_BY_ID).get(serviceId) as ServiceRow | undefined,
        () => findService(db, serviceId),
      ),
    ),
    statusAnswers: answers,
    statusesByKey: (keyHash, orderIds) =>
      statusesKeptIn(answers, keyHash, orderIds, async (kept, idsText) => {
        const { kept_account, kept_profile, kept_stamp } = keptParameters(kept);
        const row = await statusRow([`[${idsText}]`, keyHash, kept_account, kept_profile, kept_stamp]);
        if (!row) return undefined;
        const [id, status, apiProfile, stamp, isKept, members] = row;
        const text = members ?? '';
        const account = { id, status, api_profile: apiProfile };
        return { account, stamp, isKept: isKept === 1, members: text, isComplete: !text.includes(':null') };
      }),
  };
}

const PG_SERVICES = 'select * from services where id = any($1::int8[])';
const PG_KEYED_ACCOUNTS = `select k.key_hash, a.id, a.status, a.api_profile, a.balance_units
  from api_keys k inner join accounts a on a.id = k.account_id
  where k.key_hash = any($1::text[]) and k.revoked_at is null`;
/**
 * The statuses of every `status` request of one turn (pg-read-turn.ts), one row per request
 * whose key is active, numbered by its position in the arrays; each request's ids come as the
 * text of an int8[], read once in the materialized `r`: written in the subquery, the text was
 * parsed again for every row a sequential scan of a small table compared (EXPLAIN ANALYZE:
 * twice PostgreSQL's time of one statement per request). The orders found come as the answer's
 * members in ascending id order, with their count (of the texts, which string_agg would skip
 * if null: the count never claims a member the text lacks). When every id was found (a panel
 * polls its own orders) the text is the answer's as it is: node touches none of its members.
 * The order comes from the sorted subquery the aggregate reads, with nothing between them that
 * could reorder its rows (PostgreSQL's documentation of aggregate functions names this way and
 * its one limit, a join at the aggregate's level); an ORDER BY inside string_agg cost PostgreSQL
 * ~45 µs more per request (a sort set up per group). Measured together with the code before
 * (the ids' lines parsed into a map and joined again in the order asked), alternating on this
 * machine: node CPU per `status ×100` 242-289 → 201-228 µs, PostgreSQL's 87-107 → 105-120 µs,
 * 2,800-3,600 → 3,600-4,200 req/s; the node allocates 55 KB per request instead of 96. Kept in
 * the order asked, the answer cost PostgreSQL ~80 µs more per request sorted by
 * `array_position`, ~180 µs more with the ids unnested and joined to the orders (its generic
 * plan, on a new database without statistics, scanned the orders once per id).
 *
 * The account's stamp (migration 024) comes with the key. While it, the account and its profile
 * are those of the answer the node kept (status-answers-kept.ts), no order is read: `not
 * kept.is_kept` names only the outer row, so PostgreSQL checks it once before the scan (a
 * One-Time Filter in EXPLAIN). Written as a subquery, the stamp was read three times.
 */
const PG_STATUSES = `with r as materialized (
    select key_hash, ids::int8[] as ids, n, kept_account, kept_profile, kept_stamp
    from unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int8[])
      with ordinality as u(key_hash, ids, kept_account, kept_profile, kept_stamp, n)
  )
  select r.n, a.id, a.status, a.api_profile, kept.stamp, kept.is_kept, s.found, s.members
  from r
  inner join api_keys k on k.key_hash = r.key_hash and k.revoked_at is null
  inner join accounts a on a.id = k.account_id
  left join order_status_stamps st on st.account_id = a.id
  cross join lateral (select coalesce(st.stamp, 0) as stamp, coalesce(a.id = r.kept_account
      and a.api_profile = r.kept_profile and coalesce(st.stamp, 0) = r.kept_stamp, false) as is_kept) kept
  cross join lateral (select count(f.member) as found, string_agg(f.member, ',') as members
    from (select ${byProfile((wire) => `'"' || o.id || '":' || ${wire}`)} as member
      from orders o where not kept.is_kept and o.id = any(r.ids) and o.account_id + 0 = a.id
      order by o.id) f) s`;

/** PG_STATUSES's row: the request's position, its key's account, its stamp, the orders found. */
type PgStatusRow = [
  n: number,
  accountId: number,
  accountStatus: AccountStatus,
  apiProfile: ApiProfile,
  stamp: number,
  /** The kept answer is still the answer: no order was read. */
  isKept: boolean,
  found: number,
  /** `"<id>":<answer>` of each order found, ascending; null when none was. */
  members: string | null,
];

/**
 * The answer's members for ascending `orderIds` from those found (ascending too), with `null`
 * for each id not found: one pass over both. Each answer is a flat object whose values are
 * digits, status words and a currency code (migration 021), so its first `}` ends it.
 */
function withUnknownIds(foundMembers: string | null, orderIds: readonly number[]): string {
  const text = foundMembers ?? '';
  let cursor = 0;
  let members = '';
  for (const id of orderIds) {
    const key = `"${id}":`;
    let member = `${key}null`;
    if (text.startsWith(key, cursor)) {
      const end = text.indexOf('}', cursor) + 1;
      member = text.slice(cursor, end);
      cursor = end + 1;
    }
    members += members.length > 0 ? `,${member}` : member;
  }
  return members;
}

/**
 * `{1,2,3}`, the text PostgreSQL reads an int8[] from, from the ids joined by commas: pg would
 * escape and quote each element of the array on every call, for ids that are safe integers by
 * construction (order-ids.ts).
 */
function int8ArrayLiteral(idsText: string): string {
  return `{${idsText}}`;
}

/**
 * PostgreSQL: the key reads, the `status` reads and the service reads of `add`, of requests
 * that arrive in the same turn of the event loop go as one statement each (pg-read-turn.ts):
 * every answer is read after its request arrived (the balance is read afresh, never cached).
 * One round trip for a turn's statuses instead of one each: the pool's hand-over and the
 * socket writes of a statement cost the node more than PostgreSQL's reading of its rows
 * (npm run bench, BENCH_PROFILE=1, `status ×100`).
 */
export function postgresApiReads(pool: pg.Pool): ApiReads {
  const keyed = coalescePerTurn(async (keyHashes: string[]) => {
    const { rows } = await pool.query<KeyedBalance & { key_hash: string }>({
      name: 'inspiria_keyed_accounts',
      text: PG_KEYED_ACCOUNTS,
      values: [keyHashes],
    });
    return new Map(
      rows.map((row) => [
        row.key_hash,
        { id: row.id, status: row.status, api_profile: row.api_profile, balance_units: row.balance_units },
      ]),
    );
  });
  // Unnamed: a statement prepared with `*` would fail once a migration adds a column.
  const service = coalescePerTurn(async (serviceIds: number[]) => {
    const { rows } = await pool.query<ServiceRow>(PG_SERVICES, [serviceIds]);
    return new Map(rows.map((row) => [row.id, row]));
  });
  type StatusRequest = {
    keyHash: string;
    orderIds: readonly number[];
    idsText: string;
    kept: KeptAnswer | undefined;
  };
  const statuses = batchPerTurn(async (requests: StatusRequest[]) => {
    const kept = requests.map((one) => keptParameters(one.kept));
    const { rows } = await pool.query<PgStatusRow>({
      name: 'inspiria_keyed_statuses',
      rowMode: 'array',
      text: PG_STATUSES,
      values: [
        requests.map((one) => one.keyHash),
        requests.map((one) => int8ArrayLiteral(one.idsText)),
        kept.map((one) => one.kept_account),
        kept.map((one) => one.kept_profile),
        kept.map((one) => one.kept_stamp),
      ],
    });
    const byPosition = new Map(rows.map((row) => [row[0], row]));
    return requests.map((one, index): StatusesRead | undefined => {
      const row = byPosition.get(index + 1);
      if (!row) return undefined;
      const [, id, status, profile, stamp, isKept, found, members] = row;
      const account = { id, status, api_profile: profile };
      if (isKept) return { account, stamp, isKept, members: '', isComplete: false };
      const isComplete = found === one.orderIds.length;
      const text = isComplete ? (members ?? '') : withUnknownIds(members, one.orderIds);
      return { account, stamp, isKept, members: text, isComplete };
    });
  });
  const answers = new StatusAnswersKept();
  return {
    needsKeyCheck: true,
    balanceByKey: keyed,
    keyAccount: keyed,
    serviceById: service,
    statusAnswers: answers,
    statusesByKey: (keyHash, orderIds) =>
      statusesKeptIn(answers, keyHash, orderIds, (kept, idsText) =>
        statuses({ keyHash, orderIds, idsText, kept }),
      ),
  };
}
