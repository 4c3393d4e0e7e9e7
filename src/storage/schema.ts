import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { ApiProfile } from '../domain/api-profile.js';
import type { BackendName } from '../domain/backends.js';
import type { OrderStatus } from '../domain/order-lifecycle.js';
import type { PaymentMethod, PaymentStatus } from '../domain/payments.js';
import type { TicketAuthor, TicketStatus } from '../domain/support.js';

/**
 * The database as Kysely sees it. Times are epoch milliseconds, money is integer units of
 * 0.0001 EUR, booleans are 0/1 integers: the same columns on SQLite and PostgreSQL.
 */
export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  services: ServicesTable;
  orders: OrdersTable;
  ledger_entries: LedgerEntriesTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  providers: ProvidersTable;
  web_sessions: WebSessionsTable;
  password_attempts: PasswordAttemptsTable;
  payments: PaymentsTable;
  receipt_counters: ReceiptCountersTable;
  stripe_events: StripeEventsTable;
  bank_statement_entries: BankStatementEntriesTable;
  two_factor: TwoFactorTable;
  recovery_codes: RecoveryCodesTable;
  pending_sign_ins: PendingSignInsTable;
  order_runs: OrderRunsTable;
  support_tickets: SupportTicketsTable;
  support_messages: SupportMessagesTable;
  mail_outbox: MailOutboxTable;
  account_tokens: AccountTokensTable;
  mail_requests: MailRequestsTable;
  order_summary_deltas: OrderSummaryDeltasTable;
  ledger_money_deltas: LedgerMoneyDeltasTable;
  order_day_service_totals: OrderDayTotalsTable & { service_id: number };
  order_day_account_totals: OrderDayTotalsTable & { account_id: number };
  order_month_account_totals: Omit<OrderDayTotalsTable, 'day'> & { month: string; account_id: number };
  order_status_counts: OrderStatusCountsTable;
  ledger_hour_money: LedgerHourMoneyTable;
}

export type Executor = Kysely<Database> | Transaction<Database>;

export type AccountRole = 'user' | 'admin';
export type AccountStatus = 'active' | 'suspended';

export interface AccountsTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  role: AccountRole;
  status: AccountStatus;
  balance_units: ColumnType<number, number | undefined, number>;
  created_at: number;
  /** What a card refund or a lost dispute could not debit; the customer owes it (migration 005). */
  outstanding_units: ColumnType<number, number | undefined, number>;
  /** 1 when the panel suspended the account for an outstanding amount (lifted when settled). */
  is_suspended_for_outstanding: ColumnType<number, number | undefined, number>;
  /** contract §13: how /api/v2 words its answers for this account (migration 006). */
  api_profile: ColumnType<ApiProfile, ApiProfile | undefined, ApiProfile>;
  /** When the owner proved the address; null until then (migration 009). */
  email_verified_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The language the customer last used: their mails are written in it. */
  language: ColumnType<MailLanguage, MailLanguage | undefined, MailLanguage>;
  /** A mail when the balance falls below it; null for none. */
  low_balance_threshold_units: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 once the low-balance mail went out, until the balance is back at or above the threshold. */
  is_low_balance_notified: ColumnType<number, number | undefined, number>;
}

export type MailLanguage = 'it' | 'en';

/** Mails to send (migration 009): written with the event that causes them, sent by the mail loop. */
export interface MailOutboxTable {
  id: Generated<number>;
  account_id: number | null;
  to_address: string;
  language: MailLanguage;
  kind: string;
  /** JSON: the values the message is built from. */
  data: string;
  created_at: number;
  next_attempt_at: number;
  attempts: ColumnType<number, number | undefined, number>;
  sent_at: number | null;
  last_error: string | null;
}

export type AccountTokenPurpose = 'verify_email' | 'reset_password' | 'sign_in';

/** Single-use emailed secrets, by their sha256 (migration 009). */
export interface AccountTokensTable {
  id: Generated<number>;
  account_id: number;
  purpose: AccountTokenPurpose;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Requests that send a mail (sign-up, resend, reset, sign-in link), counted for rate limits. */
export interface MailRequestsTable {
  id: Generated<number>;
  kind: string;
  email: string;
  ip: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: Generated<number>;
  account_id: number;
  key_hash: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ServicesTable {
  id: number;
  name: string;
  type: 'Default' | 'Custom Comments';
  category: string;
  link_type: string;
  rate_units: number;
  min_quantity: number;
  max_quantity: number;
  can_cancel: number;
  is_active: number;
  backend: BackendName;
  created_at: number;
  updated_at: number;
  /** The upstream provider and its service id, for services imported from one (migration 002). */
  upstream_provider: ColumnType<string | null, string | null | undefined, string | null>;
  upstream_service_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 when `add` accepts `runs` and `interval` (contract §13, migration 011). */
  is_dripfeed: ColumnType<number, number | undefined, number>;
  /** The operator's description in each language (migration 012). */
  description_it: ColumnType<string | null, string | null | undefined, string | null>;
  description_en: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 016: our cost per 1,000 units for an operator-queue service. */
  cost_per_1000_units: ColumnType<number | null, number | null | undefined, number | null>;
  /** The upstream's own rate, name and limits as last seen (import or sync). */
  upstream_rate: ColumnType<string | null, string | null | undefined, string | null>;
  upstream_name: ColumnType<string | null, string | null | undefined, string | null>;
  upstream_min: ColumnType<number | null, number | null | undefined, number | null>;
  upstream_max: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 when the last sync no longer found the service upstream. */
  is_gone_upstream: ColumnType<number, number | undefined, number>;
}

export interface OrdersTable {
  id: Generated<number>;
  account_id: number;
  service_id: number;
  link: string;
  quantity: number;
  comments: string | null;
  charge_units: number;
  refunded_units: ColumnType<number, number | undefined, number>;
  status: OrderStatus;
  start_count: ColumnType<number, number | undefined, number>;
  remains: number;
  failed_attempts: ColumnType<number, number | undefined, number>;
  /** Optimistic concurrency: every update of an order checks and bumps it (contract §8). */
  version: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
  /** Engine (migration 002): when the worker should next look at the order, epoch ms. */
  next_run_at: ColumnType<number, number | undefined, number>;
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  lease_until: ColumnType<number | null, number | null | undefined, number | null>;
  /** The service's backend, fixed when the engine first looks at the order. */
  backend: ColumnType<BackendName | null, BackendName | null | undefined, BackendName | null>;
  started_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Consecutive transient failures (upstream unreachable or malformed) and when they began. */
  retry_count: ColumnType<number, number | undefined, number>;
  retry_since: ColumnType<number | null, number | null | undefined, number | null>;
  upstream_order_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** null, 'adding' (add sent, answer not recorded), 'placed', or 'closed'. */
  upstream_state: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the order reached Completed, epoch ms: the average time per service (migration 012). */
  completed_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Migration 016: the upstream's `charge` (its decimal text, its currency) and our cost in EUR units. */
  upstream_charge: ColumnType<string | null, string | null | undefined, string | null>;
  cost_units: ColumnType<number | null, number | null | undefined, number | null>;
  /** An operator-queue order's cost per 1,000 units, from its service when placed. */
  cost_per_1000_units: ColumnType<number | null, number | null | undefined, number | null>;
  /** Drip-feed (migration 011): how many runs of `quantity / runs` units, and the minutes between. */
  runs: ColumnType<number | null, number | null | undefined, never>;
  interval_minutes: ColumnType<number | null, number | null | undefined, never>;
  /** Migration 021: what `status` answers for the order, kept by the database (never written here). */
  status_wire: ColumnType<string, never, never>;
}

export type RunStatus = 'waiting' | 'running' | 'done' | 'stopped';

/**
 * One run of a drip-feed order (migration 011): a projection of the order's delivery, written in
 * the same transaction as each step of the order (src/app/sync-order-runs.ts).
 */
export interface OrderRunsTable {
  order_id: number;
  run_number: number;
  quantity: number;
  due_at: number;
  status: RunStatus;
  delivered: ColumnType<number, number | undefined, number>;
  upstream_order_id: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: ColumnType<number | null, number | null | undefined, number | null>;
  finished_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** An upstream panel speaking API v2 (migration 002). `api_key` is never printed or logged. */
export interface ProvidersTable {
  id: Generated<number>;
  name: string;
  url: string;
  api_key: string;
  key_prefix: string;
  created_at: number;
  updated_at: number;
  /** Migration 016: the markup of imports, the margin floor and what a sync does below it. */
  markup_basis_points: ColumnType<number, number | undefined, number>;
  margin_floor_basis_points: ColumnType<number, number | undefined, number>;
  on_low_margin: ColumnType<'pause' | 'reprice', 'pause' | 'reprice' | undefined, 'pause' | 'reprice'>;
  /** EUR per unit of the provider's currency × 1,000,000. */
  eur_rate_micros: ColumnType<number, number | undefined, number>;
  /** Flag the balance below this (units of 0.0001 of the provider's currency); null: never. */
  low_balance_units: ColumnType<number | null, number | null | undefined, number | null>;
  /** One sync at a time across workers: who holds the provider and until when. */
  sync_lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  sync_lease_until: ColumnType<number | null, number | null | undefined, number | null>;
  last_sync_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Why the last sync could not reach the provider (a failure reason), null when it did. */
  last_sync_failure: ColumnType<string | null, string | null | undefined, string | null>;
  last_sync_changes_json: ColumnType<string | null, string | null | undefined, string | null>;
  balance_text: ColumnType<string | null, string | null | undefined, string | null>;
  balance_currency: ColumnType<string | null, string | null | undefined, string | null>;
  is_balance_low: ColumnType<number, number | undefined, number>;
}

export type LedgerKind = 'deposit' | 'charge' | 'refund' | 'adjustment';

export interface LedgerEntriesTable {
  id: Generated<number>;
  account_id: number;
  kind: LedgerKind;
  amount_units: number;
  balance_after_units: number;
  order_id: number | null;
  reason: string | null;
  actor: string | null;
  created_at: number;
  /** The payment a deposit credits or a reversal debits (migration 005). */
  payment_id: ColumnType<number | null, number | null | undefined, never>;
}

export interface IdempotencyKeysTable {
  account_id: number;
  idem_key: string;
  request_hash: string;
  response_json: string;
  created_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  target_account_id: number | null;
  details_json: string;
  created_at: number;
}

/** A web sign-in; the cookie holds the token, the row only its SHA-256 (migration 003). */
export interface WebSessionsTable {
  token_hash: string;
  account_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  /** Updated at most once a minute (src/app/resolve-web-session.ts). */
  last_seen_at: number;
  ip: string | null;
  /** Truncated; shown on the account page so the owner recognises the device. */
  user_agent: string | null;
}

/** One password guess, reserved before the password is checked (migration 006). */
export interface PasswordAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string;
  created_at: number;
}

/** Money in (migration 005). Amounts are units of 0.0001 EUR; the currency is always EUR. */
export interface PaymentsTable {
  id: Generated<number>;
  account_id: number;
  method: PaymentMethod;
  status: PaymentStatus;
  currency: ColumnType<string, string | undefined, string>;
  /** What the customer asked to pay. */
  amount_units: number;
  /** What was credited to the balance (for a transfer: what arrived); 0 until it succeeds. */
  credited_units: ColumnType<number, number | undefined, number>;
  /** Refunded by the card processor, cumulative. */
  refunded_units: ColumnType<number, number | undefined, number>;
  disputed_units: ColumnType<number, number | undefined, number>;
  /** Refunds plus lost disputes: what the customer owes back (debited or outstanding). */
  reversed_units: ColumnType<number, number | undefined, number>;
  dispute_status: ColumnType<string | null, string | null | undefined, string | null>;
  reference: string;
  stripe_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  stripe_payment_intent_id: ColumnType<string | null, string | null | undefined, string | null>;
  stripe_charge_id: ColumnType<string | null, string | null | undefined, string | null>;
  receipt_number: ColumnType<string | null, string | null | undefined, string | null>;
  note: ColumnType<string | null, string | null | undefined, string | null>;
  actor: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: number;
  updated_at: number;
  succeeded_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ReceiptCountersTable {
  year: number;
  last_number: number;
}

export interface StripeEventsTable {
  event_id: string;
  type: string;
  outcome: string;
  payment_id: number | null;
  received_at: number;
}

export interface BankStatementEntriesTable {
  entry_key: string;
  statement_id: string;
  amount_units: number;
  currency: string;
  booking_date: string | null;
  remittance: string;
  reference: string | null;
  payment_id: number | null;
  outcome: string;
  actor: string;
  imported_at: number;
}

/** An account's TOTP secret, sealed with the panel's key (migration 010). */
export interface TwoFactorTable {
  account_id: number;
  secret_sealed: string;
  enabled_at: number | null;
  last_used_step: ColumnType<number, number | undefined, number>;
  created_at: number;
}

/** A single-use recovery code, by its SHA-256 (migration 010). */
export interface RecoveryCodesTable {
  code_hash: string;
  account_id: number;
  used_at: number | null;
}

/** A right password waiting for its second factor: not a session (migration 010). */
export interface PendingSignInsTable {
  token_hash: string;
  account_id: number;
  created_at: number;
  expires_at: number;
}

export type TwoFactorRow = Selectable<TwoFactorTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type WebSessionRow = Selectable<WebSessionsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type MailOutboxRow = Selectable<MailOutboxTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderRunRow = Selectable<OrderRunsTable>;
export type ProviderRow = Selectable<ProvidersTable>;
export type LedgerEntryRow = Selectable<LedgerEntriesTable>;
export type NewLedgerEntry = Insertable<LedgerEntriesTable>;

/** A customer's conversation with the operator (migration 015). */
export interface SupportTicketsTable {
  id: Generated<number>;
  account_id: number;
  /** One of the customer's own orders, when the ticket is about one. */
  order_id: number | null;
  subject: string;
  status: TicketStatus;
  created_at: number;
  last_activity_at: number;
  /** Read markers are message ids: unread = the other side's last message id > my marker. */
  last_customer_message_id: ColumnType<number, number | undefined, number>;
  last_staff_message_id: ColumnType<number, number | undefined, number>;
  customer_read_message_id: ColumnType<number, number | undefined, number>;
  staff_read_message_id: ColumnType<number, number | undefined, number>;
}

/** One message of a ticket, plain text as typed (escaped when shown). */
export interface SupportMessagesTable {
  id: Generated<number>;
  ticket_id: number;
  author: TicketAuthor;
  author_account_id: number;
  body: string;
  created_at: number;
}

export type SupportTicketRow = Selectable<SupportTicketsTable>;
export type SupportMessageRow = Selectable<SupportMessagesTable>;

/**
 * Migration 017: what triggers write for every counted change of an order (an insert counts 1,
 * an update takes the old values off and puts the new ones on), waiting to be compacted.
 */
export interface OrderSummaryDeltasTable {
  id: Generated<number>;
  created_hour: number;
  service_id: number;
  account_id: number;
  status: string;
  orders: number;
  charge_units: number;
  refunded_units: number;
  cost_units: number;
}

/** Migration 017: each charge or refund written to the ledger, waiting to be compacted. */
export interface LedgerMoneyDeltasTable {
  id: Generated<number>;
  hour: number;
  kind: string;
  amount_units: number;
}

/** Migration 017: the orders placed on a Rome day (`YYYY-MM-DD`), per service or per account. */
export interface OrderDayTotalsTable {
  day: string;
  orders: number;
  charge_units: number;
  refunded_units: number;
  cost_units: number;
}

export interface OrderStatusCountsTable {
  status: string;
  orders: number;
}

/** Migration 017: the ledger's charges (negative) and refunds per hour since the epoch. */
export interface LedgerHourMoneyTable {
  hour: number;
  kind: string;
  amount_units: number;
}
