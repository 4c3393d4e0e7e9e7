import type { DetailsOf, ErrorCode, Refusal } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';

type CliTexts = { readonly [C in ErrorCode]: (details: DetailsOf<C>) => string };

const eur = (units: number) => `${formatUnits(units)} EUR`;

/**
 * The operator's English for every refusal: plain, with the API's number format (`12.5000`),
 * naming the thing refused so a line in a script's log says what to fix.
 */
const CLI_TEXTS: CliTexts = {
  unauthorized: () => 'unauthorized',
  account_suspended: () => 'account suspended',
  invalid_action: () => 'invalid action',
  refill_not_supported: () => 'refill is not supported',
  invalid_service: () => 'invalid service',
  invalid_link: (d) => `the link is not a ${d.linkType}`,
  quantity_out_of_range: (d) => `quantity out of range (min ${d.min}, max ${d.max})`,
  quantity_mismatch: (d) => `quantity must equal the number of comments (${d.count})`,
  insufficient_balance: (d) =>
    `insufficient balance: ${eur(d.requiredUnits)} required, ${eur(d.availableUnits)} available`,
  incorrect_order_id: () => 'incorrect order id',
  too_many_orders: () => 'too many orders (maximum 100)',
  idempotency_key_reused: () => 'idempotency key reused with different parameters',
  order_not_cancellable: (d) => `the order cannot be canceled: status is ${d.status.toLowerCase()}`,
  cancel_not_supported: () => 'this service does not support cancellation',
  charge_changed: (d) => `the charge changed from ${eur(d.expectedUnits)} to ${eur(d.chargeUnits)}`,
  mass_order_line_malformed: () => 'a mass order line must be service|link|quantity',
  mass_order_empty: () => 'a mass order needs at least one line',
  deposit_out_of_range: (d) => `the amount must be between ${eur(d.min)} and ${eur(d.max)}`,
  payment_method_unavailable: (d) => `payments by ${d.method.replace('_', ' ')} are not configured`,
  too_many_open_transfers: (d) => `already ${d.max} bank transfers pending`,
  payment_not_found: (d) =>
    d.reference === undefined ? 'no such payment' : `no bank transfer with reference ${d.reference}`,
  payment_not_pending: (d) => `payment ${d.reference} is ${d.status}, not pending; nothing changed`,
  payment_provider_unavailable: () => 'the card processor is not reachable',
  invalid_statement: () => 'the file is not a readable CAMT.053 statement',
  account_not_found: () => 'no such account',
  email_invalid: () => 'invalid email address',
  email_taken: () => 'email already registered',
  email_unverified: () => 'email address not verified yet',
  password_too_short: (d) => `password must have at least ${d.min} characters`,
  password_too_long: (d) => `password must have at most ${d.max} characters`,
  password_too_weak: (d) =>
    `password too easy to guess${d.warning ? ` (${d.warning})` : ''}: use more uncommon words`,
  opening_balance_invalid: () => 'opening balance must be zero or more',
  reason_required: () => 'a reason is required',
  amount_invalid: () => 'the amount must be a non-zero number of EUR',
  service_not_found: (d) => `no service ${d.serviceId}`,
  service_exists: (d) =>
    d.serviceId === undefined ? 'service id already exists' : `service ${d.serviceId} already exists`,
  service_id_invalid: () => 'service id must be a positive whole number',
  service_name_invalid: (d) => `name must have 1 to ${d.max} characters`,
  service_category_invalid: (d) => `category must have 1 to ${d.max} characters`,
  service_link_type_invalid: () => 'link type must be post_url, reel_url or username',
  service_description_invalid: (d) => `a description may have at most ${d.max} characters`,
  rate_invalid: () => 'rate must be zero or more',
  quantity_limits_invalid: (d) => `min and max must be whole numbers with 1 <= min <= max <= ${d.max}`,
  charge_too_large: () => 'rate × max quantity is too large for one order',
  backend_invalid: () => 'backend must be operator, simulator or upstream:NAME',
  upstream_service_id_required: () => `an upstream service needs the provider's service id`,
  provider_not_found: (d) => `provider ${d.name} does not exist`,
  provider_exists: (d) => `provider ${d.name} already exists`,
  provider_name_invalid: () => 'name must be 1 to 64 letters, digits, ".", "_" or "-"',
  provider_url_invalid: () => 'url must be an http or https URL',
  provider_url_credentials: () => 'url must not contain credentials',
  provider_key_invalid: () => 'key must be 8 to 500 characters without spaces',
  provider_url_forbidden: () =>
    'url must not lead to loopback, a private network or another internal address',
  provider_call_failed: (d) => `provider ${d.provider} did not answer: ${d.detail}`,
  markup_invalid: () => 'markup must be a percentage from 0 to 1000 with at most 2 decimals',
  margin_floor_invalid: () => 'margin floor must be a percentage from 0 to 99 with at most 2 decimals',
  eur_rate_invalid: () => 'EUR rate must be a positive number with at most 6 decimals',
  low_balance_invalid: () => 'low balance threshold must be an amount with at most 4 decimals, or empty',
  report_period_invalid: () =>
    'the period is two days (YYYY-MM-DD), the first not after the last, at most 400 days',
  cost_invalid: () => 'cost per 1000 must be an amount in EUR with at most 4 decimals, or empty',
  order_not_found: (d) => `order ${d.orderId} does not exist`,
  order_not_open: (d) =>
    `${d.orderId === undefined ? 'the order' : `order ${d.orderId}`} cannot change: status is ${d.status.toLowerCase()}`,
  order_not_operator: (d) => `order ${d.orderId} is delivered by ${d.backend}, not by the operator`,
  delivered_quantity_invalid: () => 'delivered quantity must be a whole number of at least 1',
  start_count_invalid: () => 'start count must be a whole number',
  delivered_exceeds_remains: (d) => `only ${d.remains} of order ${d.orderId} remain to deliver`,
  drip_run_not_due: (d) => `run ${d.runNumber} of drip-feed order ${d.orderId} is not due yet`,
  dripfeed_not_supported: () => 'drip-feed is not supported for this service',
  runs_out_of_range: (d) => `runs out of range (min ${d.min}, max ${d.max})`,
  interval_out_of_range: (d) => `interval out of range (min ${d.min}, max ${d.max}) minutes`,
  ticket_not_found: (d) => `ticket ${d.ticketId} does not exist`,
  ticket_subject_invalid: (d) => `subject must be 1 to ${d.max} characters`,
  ticket_message_invalid: (d) => `message must be 1 to ${d.max} characters`,
  ticket_rate_limited: (d) => `more than ${d.max} messages in ${d.minutes} minutes`,
};

/** One refusal as the line the CLI prints on stderr. */
export function cliRefusalText(refusal: Refusal): string {
  const text = CLI_TEXTS[refusal.code] as (details: Refusal['details']) => string;
  return text(refusal.details);
}
