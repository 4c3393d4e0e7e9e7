import type { ErrorCode, Refusal } from '../domain/errors.js';
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
    case 'order_not_cancellable':
    case 'cancel_not_supported':
      return 200; // contract §2: every logic error is HTTP 200
    case 'charge_changed':
    case 'deposit_out_of_range':
    case 'payment_method_unavailable':
    case 'too_many_open_transfers':
    case 'payment_not_found':
    case 'payment_not_pending':
    case 'payment_provider_unavailable':
    case 'invalid_statement':
    case 'account_not_found':
    case 'email_invalid':
    case 'email_taken':
    case 'password_too_short':
    case 'password_too_long':
    case 'opening_balance_invalid':
    case 'reason_required':
    case 'amount_invalid':
    case 'service_not_found':
    case 'service_exists':
    case 'service_id_invalid':
    case 'service_name_invalid':
    case 'service_category_invalid':
    case 'service_link_type_invalid':
    case 'rate_invalid':
    case 'quantity_limits_invalid':
    case 'charge_too_large':
    case 'backend_invalid':
    case 'upstream_service_id_required':
    case 'provider_not_found':
    case 'provider_exists':
    case 'provider_name_invalid':
    case 'provider_url_invalid':
    case 'provider_url_credentials':
    case 'provider_key_invalid':
    case 'provider_url_forbidden':
    case 'provider_call_failed':
    case 'markup_invalid':
    case 'order_not_found':
    case 'order_not_open':
    case 'order_not_operator':
    case 'delivered_quantity_invalid':
    case 'start_count_invalid':
    case 'delivered_exceeds_remains':
      return 500; // never raised by an API use case: reaching here is our bug
  }
}

/**
 * The exact text the contract gives each refusal; clients match on it. The codes no API use
 * case raises are answered as the contract's unexpected failure (§2), never with their details.
 */
export function apiErrorText(refusal: Refusal): string {
  switch (refusal.code) {
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
      return LINK_ERRORS[refusal.details.linkType] ?? 'Invalid link';
    case 'quantity_out_of_range': {
      const { min, max } = refusal.details;
      return `Quantity out of range (min ${min}, max ${max})`;
    }
    case 'quantity_mismatch':
      return `Quantity must equal the number of comments (${refusal.details.count})`;
    case 'insufficient_balance': {
      const { requiredUnits, availableUnits } = refusal.details;
      return `Insufficient balance. Required: €${formatUnits(requiredUnits)}, Available: €${formatUnits(availableUnits)}`;
    }
    case 'incorrect_order_id':
      return 'Incorrect order ID';
    case 'too_many_orders':
      return 'Too many orders (maximum 100)';
    case 'idempotency_key_reused':
      return 'Idempotency key reused with different parameters';
    case 'order_not_cancellable':
      return `Cannot cancel: status is ${refusal.details.status.toLowerCase()}`;
    case 'cancel_not_supported':
      return 'Cannot cancel: this service does not support cancellation';
    case 'charge_changed':
    case 'deposit_out_of_range':
    case 'payment_method_unavailable':
    case 'too_many_open_transfers':
    case 'payment_not_found':
    case 'payment_not_pending':
    case 'payment_provider_unavailable':
    case 'invalid_statement':
    case 'account_not_found':
    case 'email_invalid':
    case 'email_taken':
    case 'password_too_short':
    case 'password_too_long':
    case 'opening_balance_invalid':
    case 'reason_required':
    case 'amount_invalid':
    case 'service_not_found':
    case 'service_exists':
    case 'service_id_invalid':
    case 'service_name_invalid':
    case 'service_category_invalid':
    case 'service_link_type_invalid':
    case 'rate_invalid':
    case 'quantity_limits_invalid':
    case 'charge_too_large':
    case 'backend_invalid':
    case 'upstream_service_id_required':
    case 'provider_not_found':
    case 'provider_exists':
    case 'provider_name_invalid':
    case 'provider_url_invalid':
    case 'provider_url_credentials':
    case 'provider_key_invalid':
    case 'provider_url_forbidden':
    case 'provider_call_failed':
    case 'markup_invalid':
    case 'order_not_found':
    case 'order_not_open':
    case 'order_not_operator':
    case 'delivered_quantity_invalid':
    case 'start_count_invalid':
    case 'delivered_exceeds_remains':
      return 'Internal error';
  }
}
