import { parseBackend } from '../../domain/backends.js';
import type { ProviderFailureReason } from '../../domain/errors.js';
import { formatAmount, formatInteger, formatMoney } from './format.js';
import { weakPasswordText } from './password-feedback.js';
import type { RefusalTexts } from './refusals.js';
import { orderStatusName, paymentStatusName } from './vocabulary.js';

const money = (units: number) => formatMoney('en', units);
const amount = (units: number) => formatAmount('en', units);
const whole = (value: number) => formatInteger('en', value);

const LINK_REQUIRED: Readonly<Record<string, string>> = {
  post_url: 'This service requires a post URL (e.g. instagram.com/p/...).',
  reel_url: 'This service requires a reel URL (e.g. instagram.com/reel/...).',
  username: 'This service requires an Instagram username (e.g. myusername).',
};

/** One fixed sentence per kind of failure: never what the upstream said. */
const UPSTREAM_FAILURE: Record<ProviderFailureReason, string> = {
  unreachable: 'cannot be reached',
  timeout: 'did not answer in time',
  not_api_v2: 'did not give an API v2 answer',
  forbidden_address: 'leads to an internal network: nothing was sent',
  too_large: 'sent a reply over 1 MiB: it was cut off',
  rejected: 'refused the request: check the API key',
};

/** Every refusal in English, for a customer or an admin reading the English pages. */
export const REFUSALS_EN: RefusalTexts = {
  unauthorized: () => 'The API key is missing or not valid.',
  account_suspended: () => 'The account is suspended.',
  invalid_action: () => 'Invalid action.',
  refill_not_supported: () => 'Refill is not supported.',
  invalid_service: () => 'Choose an active service.',
  invalid_link: (d) => LINK_REQUIRED[d.linkType] ?? 'The link is not valid.',
  quantity_out_of_range: (d) => `The quantity must be between ${whole(d.min)} and ${whole(d.max)}.`,
  quantity_mismatch: (d) => `The quantity must equal the number of comments (${whole(d.count)}).`,
  insufficient_balance: (d) =>
    `Insufficient balance: ${money(d.requiredUnits)} needed, ${money(d.availableUnits)} available.`,
  incorrect_order_id: () => 'Incorrect order number.',
  too_many_orders: () => 'Too many orders in one request (at most 100).',
  idempotency_key_reused: () => 'This request was already sent with different data.',
  order_not_cancellable: (d) =>
    `The order can no longer be canceled: it is ${orderStatusName('en', d.status)}.`,
  cancel_not_supported: () => 'This service does not support cancellation.',
  dripfeed_not_supported: () => 'This service does not support drip-feed.',
  runs_out_of_range: (d) => `The number of runs must be between ${whole(d.min)} and ${whole(d.max)}.`,
  interval_out_of_range: (d) => `The interval must be between ${whole(d.min)} and ${whole(d.max)} minutes.`,
  charge_changed: () => 'The charge changed since you saw it: check it again before confirming.',
  mass_order_line_malformed: () =>
    'Write the line as service|link|quantity (e.g. 101|instagram.com/p/ABC|500).',
  mass_order_empty: () => 'Write at least one service|link|quantity line.',
  deposit_out_of_range: (d) => `The amount must be between ${amount(d.min)} and ${amount(d.max)}.`,
  payment_method_unavailable: () => 'This payment method is not available.',
  too_many_open_transfers: (d) =>
    `You already have ${whole(d.max)} bank transfers waiting: complete or wait for them before requesting another.`,
  payment_not_found: () => 'No bank transfer with this reference.',
  payment_not_pending: (d) => `The payment is no longer pending: it is ${paymentStatusName('en', d.status)}.`,
  payment_provider_unavailable: () =>
    'The card processor is not reachable: try again in a moment or pay by bank transfer.',
  invalid_statement: () => 'The file is not a readable CAMT.053 statement.',
  account_not_found: () => 'Customer not found.',
  email_invalid: () => 'Enter a valid email address.',
  email_taken: () => 'An account with this email already exists.',
  email_unverified: () => 'Confirm your email address first: follow the link in the email we sent you.',
  password_too_short: (d) => `The password must have at least ${whole(d.min)} characters.`,
  password_too_long: (d) => `The password may have at most ${whole(d.max)} characters.`,
  password_too_weak: (d) => weakPasswordText('en', d),
  opening_balance_invalid: () => 'The opening balance must be zero or more.',
  reason_required: () => 'A reason is required.',
  amount_invalid: () => 'Enter an amount above zero.',
  service_not_found: () => 'Service not found.',
  service_exists: () => 'A service with this ID already exists.',
  service_id_invalid: () => 'The service ID must be a positive whole number.',
  service_name_invalid: (d) => `The name must have 1 to ${whole(d.max)} characters.`,
  service_category_invalid: (d) => `The category must have 1 to ${whole(d.max)} characters.`,
  service_link_type_invalid: () => 'Choose a valid link type.',
  service_description_invalid: (d) => `A description may have at most ${whole(d.max)} characters.`,
  rate_invalid: () => 'The rate must be zero or more.',
  quantity_limits_invalid: (d) => `Whole numbers are needed, with 1 ≤ minimum ≤ maximum ≤ ${whole(d.max)}.`,
  charge_too_large: () => 'Rate × maximum quantity is too large for one order.',
  backend_invalid: () => 'Delivery must be operator, simulator or upstream:NAME.',
  upstream_service_id_required: () => 'A provider’s service needs the provider’s own service ID.',
  provider_not_found: (d) => `No provider named ${d.name}.`,
  provider_exists: () => 'A provider with this name already exists.',
  provider_name_invalid: () => 'A provider name has 1 to 64 letters, digits, “.”, “_” or “-”.',
  provider_url_invalid: () => 'The URL must start with http:// or https://.',
  provider_url_credentials: () => 'The URL must not contain credentials.',
  provider_key_invalid: () => 'The key must have 8 to 500 characters, without spaces.',
  provider_url_forbidden: () =>
    'The URL must not lead to loopback, a private network or another internal address.',
  provider_call_failed: (d) => `The provider ${d.provider} ${UPSTREAM_FAILURE[d.reason]}.`,
  markup_invalid: () => 'The markup is a percentage from 0 to 1000 with at most 2 decimals.',
  margin_floor_invalid: () => 'The margin floor is a percentage from 0 to 99 with at most 2 decimals.',
  eur_rate_invalid: () => 'The exchange rate is a positive number of EUR per unit, with at most 6 decimals.',
  low_balance_invalid: () => 'The balance threshold is an amount with at most 4 decimals, or empty for none.',
  report_period_invalid: () =>
    'The period is two days (YYYY-MM-DD), the first not after the last, at most 400 days apart.',
  cost_invalid: () => 'The cost per 1,000 is an amount in EUR with at most 4 decimals, or empty for none.',
  order_not_found: () => 'Order not found.',
  order_not_open: (d) => `The order cannot change any more: it is ${orderStatusName('en', d.status)}.`,
  order_not_operator: (d) => `This order is delivered by ${backendName(d.backend)}, not by the operator.`,
  delivered_quantity_invalid: () => 'The delivered quantity must be a whole number of at least 1.',
  start_count_invalid: () => 'The start count must be a whole number.',
  delivered_exceeds_remains: (d) => `Only ${whole(d.remains)} units remain to deliver.`,
  drip_run_not_due: (d) => `Run ${whole(d.runNumber)} of this drip-feed order is not due yet.`,
  ticket_not_found: () => 'Support request not found.',
  ticket_subject_invalid: (d) => `The subject must be 1 to ${whole(d.max)} characters long.`,
  ticket_message_invalid: (d) => `The message must be 1 to ${whole(d.max)} characters long.`,
  ticket_rate_limited: (d) =>
    `You have already sent ${whole(d.max)} messages in the last ${whole(d.minutes)} minutes: please try again shortly.`,
};

function backendName(backend: string): string {
  const parsed = parseBackend(backend);
  if (parsed?.kind === 'upstream') return `the provider ${parsed.provider}`;
  return parsed?.kind === 'simulator' ? 'the simulator' : backend;
}
