import { parseEuros, type Units } from '../../domain/money.js';
import { UNITS_PER_CENT } from '../../domain/payments.js';

/** Italian grouping with a decimal comma: `1.234,56`, `12.345.678,9`. */
const ITALIAN_GROUPED = /^\d{1,3}(?:\.\d{3})+,\d+$/;

/**
 * An amount as a customer types it: `25`, `25.50`, Italian `25,50` or `1.000,50`. Whole cents
 * only, since that is what a card or a transfer can pay; anything else is undefined.
 */
export function parseDepositAmount(text: string): Units | undefined {
  let plain = text.replace(/\s|€/g, '');
  if (ITALIAN_GROUPED.test(plain)) plain = plain.replaceAll('.', '');
  // `10.000` means ten thousand to an Italian and ten to an English reader: asked again, not guessed.
  else if (/^\d{1,3}(?:\.\d{3})+$/.test(plain)) return undefined;
  if (!plain.includes('.')) plain = plain.replace(/^(\d+),(\d+)$/, '$1.$2');
  const units = parseEuros(plain);
  if (units === undefined || units < 0 || units % UNITS_PER_CENT !== 0) return undefined;
  return units;
}
