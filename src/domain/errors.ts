/**
 * The closed set of reasons a use case refuses a request. Domain and use-case code only
 * ever speak these codes; `http/api-errors.ts` maps each to the contract's exact text.
 */
export type ErrorCode =
  | 'unauthorized'
  | 'account_suspended'
  | 'invalid_action'
  | 'refill_not_supported'
  | 'invalid_service'
  | 'invalid_link'
  | 'quantity_out_of_range'
  | 'quantity_mismatch'
  | 'insufficient_balance'
  | 'incorrect_order_id'
  | 'too_many_orders'
  | 'idempotency_key_reused'
  | 'charge_changed'
  | 'deposit_out_of_range'
  | 'payment_method_unavailable'
  | 'too_many_open_transfers'
  | 'payment_not_found'
  | 'payment_not_pending'
  | 'payment_provider_unavailable'
  | 'invalid_statement'
  /** A provider URL leading to loopback, a private network or another internal address. */
  | 'provider_url_forbidden'
  /** A call to a provider got no usable answer; `reason` says which kind (upstream-client's FailureReason). */
  | 'provider_call_failed'
  | 'invalid_input'
  | 'not_found'
  | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: Readonly<Record<string, string | number>> = {},
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
