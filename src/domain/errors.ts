/**
 * The closed set of reasons a use case refuses a request (style rule 13). Domain and use-case
 * code only ever speak these codes, with typed details and never a sentence: `http/api-errors.ts`
 * maps each to the contract's exact text, `web/i18n/refusals.ts` to Italian and English, and the
 * CLI to its operator's English. Adding a code here is a type error in each of them until it
 * has its text.
 */
export const ERROR_CODES = [
  // The API's own refusals (contract §2 to §8).
  'unauthorized',
  'account_suspended',
  'invalid_action',
  'refill_not_supported',
  'invalid_service',
  'invalid_link',
  'quantity_out_of_range',
  'quantity_mismatch',
  'insufficient_balance',
  'incorrect_order_id',
  'too_many_orders',
  'idempotency_key_reused',
  'order_not_cancellable',
  'cancel_not_supported',
  // Drip-feed (contract §13).
  'dripfeed_not_supported',
  'runs_out_of_range',
  'interval_out_of_range',
  // The web order form.
  'charge_changed',
  // The web's mass order: a line that is not `service|link|quantity`, or no line at all.
  'mass_order_line_malformed',
  'mass_order_empty',
  // Payments.
  'deposit_out_of_range',
  'payment_method_unavailable',
  'too_many_open_transfers',
  'payment_not_found',
  'payment_not_pending',
  'payment_provider_unavailable',
  'invalid_statement',
  // Accounts.
  'account_not_found',
  'email_invalid',
  'email_taken',
  /** Orders and API keys wait until the customer proved their address. */
  'email_unverified',
  'password_too_short',
  'password_too_long',
  'password_too_weak',
  'opening_balance_invalid',
  'reason_required',
  'amount_invalid',
  // The catalog.
  'service_not_found',
  'service_exists',
  'service_id_invalid',
  'service_name_invalid',
  'service_category_invalid',
  'service_link_type_invalid',
  'rate_invalid',
  'quantity_limits_invalid',
  'charge_too_large',
  'backend_invalid',
  'upstream_service_id_required',
  'service_description_invalid',
  // Upstream providers.
  'provider_not_found',
  'provider_exists',
  'provider_name_invalid',
  'provider_url_invalid',
  'provider_url_credentials',
  'provider_key_invalid',
  'provider_url_forbidden',
  'provider_call_failed',
  'markup_invalid',
  'margin_floor_invalid',
  'eur_rate_invalid',
  'low_balance_invalid',
  'cost_invalid',
  'report_period_invalid',
  // The operator's queue and the order lifecycle.
  'order_not_found',
  'order_not_open',
  'order_not_operator',
  'delivered_quantity_invalid',
  'start_count_invalid',
  'delivered_exceeds_remains',
  'drip_run_not_due',
  // The support desk.
  'ticket_not_found',
  'ticket_subject_invalid',
  'ticket_message_invalid',
  'ticket_rate_limited',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Why a call to an upstream provider gave no usable answer (the engine's client decides). */
export type ProviderFailureReason =
  | 'rejected'
  | 'unreachable'
  | 'timeout'
  | 'not_api_v2'
  | 'forbidden_address'
  | 'too_large';

/** The details each code carries; a code not listed here carries none. */
export interface ErrorDetails {
  invalid_link: { linkType: string };
  quantity_out_of_range: { min: number; max: number };
  quantity_mismatch: { count: number };
  runs_out_of_range: { min: number; max: number };
  interval_out_of_range: { min: number; max: number };
  insufficient_balance: { requiredUnits: number; availableUnits: number };
  /** `status` is the contract's status word (`Completed`). */
  order_not_cancellable: { status: string };
  charge_changed: { chargeUnits: number; expectedUnits: number };
  deposit_out_of_range: { min: number; max: number };
  payment_method_unavailable: { method: 'card' | 'bank_transfer' };
  too_many_open_transfers: { max: number };
  payment_not_found: { reference?: string; id?: number };
  payment_not_pending: { reference: string; status: string };
  password_too_short: { min: number };
  password_too_long: { max: number };
  /** zxcvbn's feedback as keys (`topTen`, `anotherWord`...), worded by each language. */
  password_too_weak: { warning: string | null; suggestions: string[] };
  service_not_found: { serviceId: number };
  /** Without `serviceId` when two creations raced for the next free id. */
  service_exists: { serviceId?: number };
  service_name_invalid: { max: number };
  service_category_invalid: { max: number };
  service_description_invalid: { max: number };
  quantity_limits_invalid: { max: number };
  provider_not_found: { name: string };
  provider_exists: { name: string };
  /** `reason` picks a fixed sentence for the page; `detail` (may quote the upstream) is for the CLI and logs. */
  provider_call_failed: { provider: string; reason: ProviderFailureReason; detail: string };
  order_not_found: { orderId: number };
  order_not_open: { orderId?: number; status: string };
  order_not_operator: { orderId: number; backend: string };
  delivered_exceeds_remains: { orderId: number; remains: number };
  /** A drip-feed order: only the runs that are due may be delivered; `runNumber` is the next one. */
  drip_run_not_due: { orderId: number; runNumber: number };
  ticket_not_found: { ticketId: number };
  ticket_subject_invalid: { max: number };
  ticket_message_invalid: { max: number };
  ticket_rate_limited: { max: number; minutes: number };
}

export type DetailsOf<C extends ErrorCode> = C extends keyof ErrorDetails
  ? ErrorDetails[C]
  : Record<string, never>;

/** A code with its details, narrowed together by a `switch (refusal.code)`. */
export type Refusal = { [C in ErrorCode]: { readonly code: C; readonly details: DetailsOf<C> } }[ErrorCode];

type DetailsArgs<C extends ErrorCode> = C extends keyof ErrorDetails ? [ErrorDetails[C]] : [];

export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  readonly details: DetailsOf<C>;

  constructor(
    readonly code: C,
    ...details: DetailsArgs<C>
  ) {
    super(code);
    this.name = 'DomainError';
    this.details = (details[0] ?? {}) as DetailsOf<C>;
  }

  /** The code and its details as one value the text tables can switch on. */
  get refusal(): Refusal {
    return { code: this.code, details: this.details } as Refusal;
  }
}

export function isDomainError<C extends ErrorCode = ErrorCode>(
  error: unknown,
  code?: C,
): error is DomainError<C> {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/** The refusals that mean "there is no such thing": a 404 on the web. */
export function isNotFound(code: ErrorCode): boolean {
  return (
    code === 'account_not_found' ||
    code === 'service_not_found' ||
    code === 'provider_not_found' ||
    code === 'order_not_found' ||
    code === 'payment_not_found' ||
    code === 'ticket_not_found'
  );
}
