import { describe, expect, it } from 'vitest';
import { parseMarkup } from '../src/app/import-provider-services.js';
import { validateServiceFields } from '../src/app/save-service.js';
import { DomainError } from '../src/domain/errors.js';
import type { Lang } from '../src/web/i18n/index.js';
import { messagesFor } from '../src/web/i18n/index.js';
import type { PageContext } from '../src/web/page-context.js';
import { refusalMessage } from '../src/web/pages/admin-common.js';
import { LIKES_SERVICE } from './support/api-server.js';

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

describe('admin refusal messages', () => {
  it('translates the use cases’ refusals it knows, in both languages', () => {
    const it = pageIn('it');
    const en = pageIn('en');
    const badName = refusalOf(() => validateServiceFields({ ...LIKES_SERVICE, name: ' ' }));
    expect(refusalMessage(it, badName)).toBe('Il nome deve avere da 1 a 200 caratteri.');
    expect(refusalMessage(en, badName)).toBe('The name must have 1 to 200 characters.');
    const badRange = refusalOf(() =>
      validateServiceFields({ ...LIKES_SERVICE, minQuantity: 10, maxQuantity: 5 }),
    );
    expect(refusalMessage(it, badRange)).toContain('1 ≤ minimo ≤ massimo');
    const badBackend = refusalOf(() => validateServiceFields({ ...LIKES_SERVICE, backend: 'elsewhere' }));
    expect(refusalMessage(en, badBackend)).toBe('Delivery must be operator, simulator or upstream:NAME.');
    expect(
      refusalMessage(
        it,
        refusalOf(() => parseMarkup('12.345')),
      ),
    ).toContain('Il ricarico');
    const remains = new DomainError('invalid_input', {}, 'only 1500 of order 7 remain to deliver');
    expect(refusalMessage(it, remains)).toBe('Rimangono solo 1.500 unità da consegnare.');
    const final = new DomainError('conflict', {}, 'order 7 cannot be canceled: status is in progress');
    expect(refusalMessage(it, final)).toBe('L’ordine non può più cambiare: è In corso.');
    const down = new DomainError(
      'provider_call_failed',
      { provider: 'p', reason: 'timeout' },
      'provider p did not answer: timed out',
    );
    expect(refusalMessage(en, down)).toBe('The provider did not answer in time.');
    expect(refusalMessage(it, new DomainError('not_found', {}, 'no order 9'))).toBe('Non trovato.');
  });

  it('shows an unknown refusal as it is, and leaves other errors to the 500 page', () => {
    const unknown = new DomainError('invalid_input', {}, 'something new');
    expect(refusalMessage(pageIn('en'), unknown)).toBe('The operation failed: something new');
    expect(refusalMessage(pageIn('en'), new Error('boom'))).toBeUndefined();
  });
});
