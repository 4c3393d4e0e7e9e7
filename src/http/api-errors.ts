import type { DomainError, ErrorCode } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';

/** contract §5: the error for each link type, exactly. */
const LINK_ERRORS: Readonly<Record<string, string>> = {
  post_url: 'This service requires a post URL (e.g. instagram.com/p/...)',
  reel_url: 'This service requires a reel URL (e.g. instagram.com/reel/...)',
  username: 'This service requires an Instagram username (e.g. myusername)',
};

/** The one place where an error code becomes an HTTP status (style rule 1). */
export function codeToStatus(code: ErrorCode): number {
  switch (code) {
    case 'unauthorized':
      return 401;
    case 'account_suspended':
      return 403;
    case 'invalid_action':
    case 'refill_not_supported':
    case 'invalid_service':
    case 'invalid_link':
    case 'quantity_out_of_range':
    case 'quantity_mismatch':
    case 'insufficient_balance':
    case 'incorrect_order_id':
    case 'too_many_orders':
    case 'idempotency_key_reused':
      return 200; // contract §2: every logic error is HTTP 200
    case 'charge_changed':
    case 'deposit_out_of_range':
    case 'payment_method_unavailable':
    case 'too_many_open_transfers':
    case 'payment_not_found':
    case 'payment_not_pending':
    case 'payment_provider_unavailable':
    case 'invalid_statement':
    case 'provider_url_forbidden':
    case 'provider_call_failed':
    case 'invalid_input':
    case 'not_found':
    case 'conflict':
      return 500; // never raised by an API use case: reaching here is our bug
  }
}

/** The exact text the contract gives each error; clients match on it. */
export function apiErrorText(error: DomainError): string {
  const d = error.details;
  switch (error.code) {
    case 'unauthorized':
      return 'Unauthorized';
    case 'account_suspended':
      return 'Account suspended';
    case 'invalid_action':
      return 'Invalid action';
    case 'refill_not_supported':
      return 'Refill is not supported';
    case 'invalid_service':
      return 'Invalid service';
    case 'invalid_link':
      return LINK_ERRORS[String(d.linkType)] ?? 'Invalid link';
    case 'quantity_out_of_range':
      return `Quantity out of range (min ${d.min}, max ${d.max})`;
    case 'quantity_mismatch':
      return `Quantity must equal the number of comments (${d.count})`;
    case 'insufficient_balance':
      return `Insufficient balance. Required: €${formatUnits(Number(d.requiredUnits))}, Available: €${formatUnits(Number(d.availableUnits))}`;
    case 'incorrect_order_id':
      return 'Incorrect order ID';
    case 'too_many_orders':
      return 'Too many orders (maximum 100)';
    case 'idempotency_key_reused':
      return 'Idempotency key reused with different parameters';
    default:
      return 'Internal error';
  }
}
