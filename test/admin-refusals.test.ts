import { describe, expect, it } from 'vitest';
import { parseMarkup } from '../src/app/import-provider-services.js';
import { validateServiceFields } from '../src/app/save-service.js';
import { cliRefusalText } from '../src/cli/refusal-text.js';
import {
  type DetailsOf,
  DomainError,
  ERROR_CODES,
  type ErrorCode,
  type Refusal,
} from '../src/domain/errors.js';
import { apiErrorText, codeToStatus } from '../src/http/api-errors.js';
import type { Lang } from '../src/web/i18n/index.js';
import { messagesFor } from '../src/web/i18n/index.js';
import { refusalSentence, refusalText } from '../src/web/i18n/refusals.js';
import type { PageContext } from '../src/web/page-context.js';
import { refusalMessage } from '../src/web/pages/admin-common.js';
import { LIKES_SERVICE } from './support/api-server.js';
import { englishWordsIn } from './support/english-words.js';

function pageIn(lang: Lang): PageContext {
  return { lang, t: messagesFor(lang), csrfToken: 'x', path: '/admin', langUrl: () => '/', asset: (n) => n };
}

function refusalOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('no refusal');
}

/** Details for every code; keyed by the code list, so a new code needs one here too. */
const SAMPLES: { readonly [C in ErrorCode]: DetailsOf<C> } = {
  unauthorized: {},
  account_suspended: {},
  invalid_action: {},
  refill_not_supported: {},
  invalid_service: {},
  invalid_link: { linkType: 'post_url' },
  quantity_out_of_range: { min: 25, max: 5000 },
  quantity_mismatch: { count: 3 },
  insufficient_balance: { requiredUnits: 35_000, availableUnits: 1_200 },
  incorrect_order_id: {},
  too_many_orders: {},
  idempotency_key_reused: {},
  order_not_cancellable: { status: 'Completed' },
  cancel_not_supported: {},
  dripfeed_not_supported: {},
  runs_out_of_range: { min: 2, max: 100 },
  interval_out_of_range: { min: 1, max: 1440 },
  charge_changed: { chargeUnits: 35_000, expectedUnits: 30_000 },
  mass_order_line_malformed: {},
  mass_order_empty: {},
  deposit_out_of_range: { min: 100_000, max: 50_000_000 },
  payment_method_unavailable: { method: 'card' },
  too_many_open_transfers: { max: 3 },
  payment_not_found: { reference: 'INSP-7Q4K2M' },
  payment_not_pending: { reference: 'INSP-7Q4K2M', status: 'succeeded' },
  payment_provider_unavailable: {},
  invalid_statement: {},
  account_not_found: {},
  email_invalid: {},
  email_taken: {},
  email_unverified: {},
  password_too_short: { min: 8 },
  password_too_long: { max: 256 },
  password_too_weak: { warning: 'topTen', suggestions: ['anotherWord'] },
  opening_balance_invalid: {},
  reason_required: {},
  amount_invalid: {},
  service_not_found: { serviceId: 9 },
  service_exists: { serviceId: 1017 },
  service_id_invalid: {},
  service_name_invalid: { max: 200 },
  service_category_invalid: { max: 100 },
  service_link_type_invalid: {},
  service_description_invalid: { max: 1000 },
  rate_invalid: {},
  quantity_limits_invalid: { max: 100_000_000 },
  charge_too_large: {},
  backend_invalid: {},
  upstream_service_id_required: {},
  provider_not_found: { name: 'acme' },
  provider_exists: { name: 'acme' },
  provider_name_invalid: {},
  provider_url_invalid: {},
  provider_url_credentials: {},
  provider_key_invalid: {},
  provider_url_forbidden: {},
  provider_call_failed: { provider: 'acme', reason: 'timeout', detail: 'timed out' },
  markup_invalid: {},
  margin_floor_invalid: {},
  eur_rate_invalid: {},
  low_balance_invalid: {},
  cost_invalid: {},
  report_period_invalid: {},
  order_not_found: { orderId: 7 },
  order_not_open: { orderId: 7, status: 'In progress' },
  order_not_operator: { orderId: 7, backend: 'simulator' },
  delivered_quantity_invalid: {},
  start_count_invalid: {},
  delivered_exceeds_remains: { orderId: 7, remains: 1500 },
  drip_run_not_due: { orderId: 7, runNumber: 3 },
  ticket_not_found: { ticketId: 7 },
  ticket_subject_invalid: { max: 150 },
  ticket_message_invalid: { max: 5000 },
  ticket_rate_limited: { max: 5, minutes: 10 },
};

const refusalFor = (code: ErrorCode) => ({ code, details: SAMPLES[code] }) as Refusal;

describe('every refusal code has its text everywhere', () => {
  it.each([...ERROR_CODES])('%s: Italian, English, the API and the CLI', (code) => {
    const refusal = refusalFor(code);
    const italian = refusalSentence(refusal, 'it');
    const english = refusalSentence(refusal, 'en');
    expect(italian).not.toBe('');
    expect(english).not.toBe('');
    expect(italian).not.toBe(english);
    // No English sentence slips onto an Italian page through a refusal.
    expect(englishWordsIn(italian)).toEqual([]);
    expect(apiErrorText(refusal)).not.toBe('');
    expect([200, 401, 403, 500]).toContain(codeToStatus(code));
    expect(cliRefusalText(refusal)).not.toBe('');
  });

  it('the code list has no duplicates', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});

describe('refusals on the web', () => {
  it('words money and numbers in the page’s format, never the API’s', () => {
    expect(refusalText('quantity_out_of_range', { min: 25, max: 5000 }, 'it')).toBe(
      'La quantità deve essere tra 25 e 5.000.',
    );
    expect(refusalText('quantity_out_of_range', { min: 25, max: 5000 }, 'en')).toBe(
      'The quantity must be between 25 and 5,000.',
    );
    expect(refusalText('insufficient_balance', { requiredUnits: 35_000, availableUnits: 1_200 }, 'it')).toBe(
      'Saldo insufficiente: servono 3,5000 €, disponibili 0,1200 €.',
    );
    expect(refusalText('order_not_cancellable', { status: 'Completed' }, 'it')).toBe(
      'L’ordine non può più essere annullato: è Completato.',
    );
    expect(refusalText('invalid_link', { linkType: 'reel_url' }, 'it')).toContain('URL di un reel');
  });

  it('the API keeps the contract’s exact English', () => {
    expect(apiErrorText(refusalFor('quantity_out_of_range'))).toBe(
      'Quantity out of range (min 25, max 5000)',
    );
    expect(apiErrorText(refusalFor('insufficient_balance'))).toBe(
      'Insufficient balance. Required: €3.5000, Available: €0.1200',
    );
    expect(apiErrorText(refusalFor('invalid_link'))).toBe(
      'This service requires a post URL (e.g. instagram.com/p/...)',
    );
    expect(apiErrorText(refusalFor('order_not_cancellable'))).toBe('Cannot cancel: status is completed');
    expect(apiErrorText(refusalFor('cancel_not_supported'))).toBe(
      'Cannot cancel: this service does not support cancellation',
    );
    expect(apiErrorText(refusalFor('email_taken'))).toBe('Internal error');
  });

  it('the admin reads the use cases’ refusals in their language', () => {
    const it = pageIn('it');
    const en = pageIn('en');
    const badName = refusalOf(() => validateServiceFields({ ...LIKES_SERVICE, name: ' ' }));
    expect(refusalMessage(it, badName)).toBe('Il nome deve avere da 1 a 200 caratteri.');
    expect(refusalMessage(en, badName)).toBe('The name must have 1 to 200 characters.');
    const badRange = refusalOf(() =>
      validateServiceFields({ ...LIKES_SERVICE, minQuantity: 10, maxQuantity: 5 }),
    );
    expect(refusalMessage(it, badRange)).toBe(
      'Servono numeri interi con 1 ≤ minimo ≤ massimo ≤ 100.000.000.',
    );
    const badBackend = refusalOf(() => validateServiceFields({ ...LIKES_SERVICE, backend: 'elsewhere' }));
    expect(refusalMessage(en, badBackend)).toBe('Delivery must be operator, simulator or upstream:NAME.');
    expect(
      refusalMessage(
        it,
        refusalOf(() => parseMarkup('12.345')),
      ),
    ).toContain('Il ricarico');
    const remains = new DomainError('delivered_exceeds_remains', { orderId: 7, remains: 1500 });
    expect(refusalMessage(it, remains)).toBe('Rimangono solo 1.500 unità da consegnare.');
    const final = new DomainError('order_not_open', { orderId: 7, status: 'In progress' });
    expect(refusalMessage(it, final)).toBe('L’ordine non può più cambiare: è In corso.');
    const down = new DomainError('provider_call_failed', {
      provider: 'p',
      reason: 'timeout',
      detail: 'timed out',
    });
    expect(refusalMessage(en, down)).toBe('The provider p did not answer in time.');
    expect(refusalMessage(it, new DomainError('order_not_found', { orderId: 9 }))).toBe(
      'Ordine non trovato.',
    );
  });

  it('leaves errors that are not refusals to the 500 page', () => {
    expect(refusalMessage(pageIn('en'), new Error('boom'))).toBeUndefined();
  });
});
