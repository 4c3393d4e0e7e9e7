import type { ErrorCode, Refusal } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';

/** contract §5: the error for each link type, exactly. */
const LINK_ERRORS: Readonly<Record<string, string>> = {
  post_url: 'This service requires a post URL (e.g. instagram.com/p/...)',
  reel_url: 'This service requires a reel URL (e.g. instagram.com/reel/...)',
  username: 'This service requires an Instagram username (e.g. myusername)',
};

/**
 * The refusals the API itself gives (contract §2 to §8) and their HTTP status: every logic error
 * is HTTP 200 (§2). Every other code is raised by the web, the CLI or the engine only.
 */
const API_REFUSAL_STATUS = {
  unauthorized: 401,
  account_suspended: 403,
  invalid_action: 200,
  refill_not_supported: 200,
  invalid_service: 200,
  invalid_link: 200,
  quantity_out_of_range: 200,
  quantity_mismatch: 200,
  insufficient_balance: 200,
  incorrect_order_id: 200,
  too_many_orders: 200,
  idempotency_key_reused: 200,
  order_not_cancellable: 200,
  cancel_not_supported: 200,
  dripfeed_not_supported: 200,
  runs_out_of_range: 200,
  interval_out_of_range: 200,
} as const satisfies Partial<Record<ErrorCode, 200 | 401 | 403>>;

type ApiRefusal = Extract<Refusal, { code: keyof typeof API_REFUSAL_STATUS }>;

function isApiRefusal(refusal: Refusal): refusal is ApiRefusal {
  return Object.hasOwn(API_REFUSAL_STATUS, refusal.code);
}

/**
 * The one place where an error code becomes an HTTP status (style rule 1). A code no API use
 * case raises reaching here is our bug: 500.
 */
export function codeToStatus(code: ErrorCode): number {
  return Object.hasOwn(API_REFUSAL_STATUS, code)
    ? API_REFUSAL_STATUS[code as keyof typeof API_REFUSAL_STATUS]
    : 500;
}

/**
 * The exact text the contract gives each refusal; clients match on it. The codes no API use
 * case raises are answered as the contract's unexpected failure (§2), never with their details.
 */
export function apiErrorText(refusal: Refusal): string {
  if (!isApiRefusal(refusal)) return 'Internal error';
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
    // contract §13 settles the first; the ranges are worded like §6's quantity error.
    case 'dripfeed_not_supported':
      return 'Drip-feed is not supported for this service';
    case 'runs_out_of_range':
      return `Runs out of range (min ${refusal.details.min}, max ${refusal.details.max})`;
    case 'interval_out_of_range':
      return `Interval out of range (min ${refusal.details.min}, max ${refusal.details.max})`;
  }
}
