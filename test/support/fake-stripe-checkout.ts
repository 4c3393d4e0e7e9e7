import { invalidRequest, stripeId } from './fake-stripe-wire.js';

/** The Checkout Session fields the fake keeps and answers with (Stripe's own names). */
export interface FakeCheckoutSession {
  id: string;
  object: 'checkout.session';
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer: string | null;
  customer_details: Record<string, unknown> | null;
  customer_email: string | null;
  expires_at: number;
  livemode: false;
  locale: string | null;
  metadata: Record<string, string>;
  mode: 'payment';
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
  success_url: string;
  ui_mode: 'hosted_page';
  url: string | null;
}

// Stripe refuses any parameter it does not know ("Received unknown parameter"), which catches
// a misspelt field the SDK would pass through untouched. Top-level create params of API v23.
const KNOWN_CREATE_PARAMS = new Set(
  (
    'adaptive_pricing after_expiration allow_promotion_codes allowed_payment_method_types automatic_tax ' +
    'billing_address_collection branding_settings cancel_url client_reference_id consent_collection currency ' +
    'custom_fields custom_text customer customer_account customer_creation customer_email customer_update ' +
    'discounts excluded_payment_method_types expand expires_at integration_identifier invoice_creation ' +
    'line_items locale managed_payments metadata mode name_collection optional_items origin_context ' +
    'payment_intent_data payment_method_collection payment_method_configuration payment_method_data ' +
    'payment_method_options permissions phone_number_collection redirect_on_completion return_url ' +
    'saved_payment_method_options setup_intent_data shipping_address_collection shipping_options submit_type ' +
    'subscription_data success_url tax_id_collection ui_mode wallet_options'
  ).split(' '),
);

// Stripe's minimum charge is 0.50 in EUR and USD (and 50 in most currencies' smallest unit).
const MINIMUM_AMOUNT_CENTS = 50;
const DAY_SECONDS = 24 * 60 * 60;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredText(params: Record<string, unknown>, name: string, param = name): string {
  const value = params[name];
  if (value === undefined)
    throw invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
  if (typeof value !== 'string')
    throw invalidRequest(`Invalid string: ${param}`, { code: 'parameter_invalid_string', param });
  if (value === '') {
    throw invalidRequest(
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset.`,
      {
        code: 'parameter_invalid_empty',
        param,
      },
    );
  }
  return value;
}

function optionalText(params: Record<string, unknown>, name: string, maxLength: number): string | null {
  if (params[name] === undefined) return null;
  const value = requiredText(params, name);
  if (value.length > maxLength) {
    throw invalidRequest(`Invalid string: ${value}; must be at most ${maxLength} characters`, {
      code: 'string_length_exceeds_maximum',
      param: name,
    });
  }
  return value;
}

/** Stripe takes integers only as plain digits; "25.00" or "2.5e3" are refused. */
function requiredInteger(
  params: Record<string, unknown>,
  name: string,
  param: string,
  minimum: number,
): number {
  const text = requiredText(params, name, param);
  if (!/^-?\d+$/.test(text))
    throw invalidRequest(`Invalid integer: ${text}`, { code: 'parameter_invalid_integer', param });
  const value = Number(text);
  if (value < minimum) {
    throw invalidRequest(`This value must be greater than or equal to ${minimum}.`, {
      code: 'parameter_invalid_integer',
      param,
    });
  }
  return value;
}

function requiredUrl(params: Record<string, unknown>, name: string): string {
  const text = requiredText(params, name);
  let protocol = '';
  try {
    protocol = new URL(text).protocol;
  } catch {}
  if (protocol !== 'http:' && protocol !== 'https:')
    throw invalidRequest('Not a valid URL', { code: 'url_invalid', param: name });
  return text;
}

interface PricedItem {
  currency: string;
  amountCents: number;
}

function lineItem(item: unknown, index: number): PricedItem {
  const at = `line_items[${index}]`;
  if (!isRecord(item))
    throw invalidRequest(`Invalid object: ${at}`, { code: 'parameter_invalid_object', param: at });
  if (item.price !== undefined) {
    // The fake keeps no Price objects; the panel prices each payment inline with price_data.
    throw invalidRequest(`No such price: '${String(item.price)}'`, {
      code: 'resource_missing',
      param: `${at}[price]`,
    });
  }
  const priceData = item.price_data;
  if (!isRecord(priceData))
    throw invalidRequest(`Missing required param: ${at}[price_data].`, {
      code: 'parameter_missing',
      param: `${at}[price_data]`,
    });
  const currency = requiredText(priceData, 'currency', `${at}[price_data][currency]`).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) {
    throw invalidRequest(`Invalid currency: ${currency}.`, {
      code: 'parameter_invalid_string',
      param: `${at}[price_data][currency]`,
    });
  }
  if (priceData.product === undefined && !isRecord(priceData.product_data)) {
    throw invalidRequest('You must specify either `product` or `product_data` when creating a price.', {
      param: `${at}[price_data]`,
    });
  }
  if (isRecord(priceData.product_data))
    requiredText(priceData.product_data, 'name', `${at}[price_data][product_data][name]`);
  const unitAmount = requiredInteger(priceData, 'unit_amount', `${at}[price_data][unit_amount]`, 0);
  const quantity = requiredInteger(item, 'quantity', `${at}[quantity]`, 1);
  return { currency, amountCents: unitAmount * quantity };
}

function priceLineItems(params: Record<string, unknown>): PricedItem {
  const items = params.line_items;
  if (!Array.isArray(items) || items.length === 0) {
    throw invalidRequest('`line_items` is required in `payment` mode.', {
      code: 'parameter_missing',
      param: 'line_items',
    });
  }
  const priced = items.map(lineItem);
  const currency = priced[0]?.currency ?? '';
  if (priced.some((item) => item.currency !== currency)) {
    throw invalidRequest('All line items must have the same currency.', { param: 'line_items' });
  }
  const amountCents = priced.reduce((sum, item) => sum + item.amountCents, 0);
  if (amountCents < MINIMUM_AMOUNT_CENTS) {
    throw invalidRequest(
      `The Checkout Session's total amount due must add up to at least ${MINIMUM_AMOUNT_CENTS} ${currency} cents.`,
      {
        code: 'amount_too_small',
      },
    );
  }
  return { currency, amountCents };
}

function metadataOf(params: Record<string, unknown>): Record<string, string> {
  const metadata = params.metadata;
  if (metadata === undefined || metadata === '') return {};
  if (!isRecord(metadata))
    throw invalidRequest('Invalid object', { code: 'parameter_invalid_object', param: 'metadata' });
  const entries = Object.entries(metadata);
  if (entries.length > 50)
    throw invalidRequest('You can have at most 50 metadata keys.', { param: 'metadata' });
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || key.length > 40 || value.length > 500) {
      throw invalidRequest('Metadata keys are at most 40 characters and values strings of at most 500.', {
        param: `metadata[${key}]`,
      });
    }
  }
  return Object.fromEntries(entries.filter(([, value]) => value !== '')) as Record<string, string>;
}

function expiresAtOf(params: Record<string, unknown>, nowSeconds: number): number {
  if (params.expires_at === undefined) return nowSeconds + DAY_SECONDS;
  const expiresAt = requiredInteger(params, 'expires_at', 'expires_at', 0);
  if (expiresAt < nowSeconds + 30 * 60 || expiresAt > nowSeconds + DAY_SECONDS) {
    throw invalidRequest(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      {
        param: 'expires_at',
      },
    );
  }
  return expiresAt;
}

/** Validates a create request as Stripe does for a hosted payment-mode session, and builds the session. */
export function createCheckoutSession(
  params: Record<string, unknown>,
  baseUrl: string,
  nowSeconds: number,
): FakeCheckoutSession {
  const unknown = Object.keys(params).find((name) => !KNOWN_CREATE_PARAMS.has(name));
  if (unknown)
    throw invalidRequest(`Received unknown parameter: ${unknown}`, {
      code: 'parameter_unknown',
      param: unknown,
    });
  const mode = requiredText(params, 'mode');
  if (mode !== 'payment')
    throw invalidRequest(`The fake serves only mode=payment, not ${mode}.`, { param: 'mode' });
  if (params.ui_mode !== undefined && params.ui_mode !== 'hosted_page') {
    throw invalidRequest('The fake serves only the hosted page (ui_mode=hosted_page).', { param: 'ui_mode' });
  }
  // Real Stripe lets a hosted session go without a cancel_url; the panel always sends both.
  const successUrl = requiredUrl(params, 'success_url');
  const cancelUrl = requiredUrl(params, 'cancel_url');
  const { currency, amountCents } = priceLineItems(params);
  const id = stripeId('cs_test_', 58);
  return {
    id,
    object: 'checkout.session',
    amount_subtotal: amountCents,
    amount_total: amountCents,
    cancel_url: cancelUrl,
    client_reference_id: optionalText(params, 'client_reference_id', 200),
    created: nowSeconds,
    currency,
    customer: null,
    customer_details: null,
    customer_email: optionalText(params, 'customer_email', 800),
    expires_at: expiresAtOf(params, nowSeconds),
    livemode: false,
    locale: optionalText(params, 'locale', 10),
    metadata: metadataOf(params),
    mode: 'payment',
    payment_intent: null,
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    status: 'open',
    success_url: successUrl,
    ui_mode: 'hosted_page',
    url: `${baseUrl}/pay/${id}`,
  };
}
