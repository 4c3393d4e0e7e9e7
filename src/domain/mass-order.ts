import { DomainError, type Refusal } from './errors.js';

/** At most this many orders in one mass order, as in one API batch (contract §7). */
export const MAX_MASS_ORDER_LINES = 100;

/** One `service|link|quantity` line as typed, and its parts when it has them. */
export interface MassOrderLine {
  /** The line's number in the text the customer typed (1-based, blank lines counted). */
  lineNumber: number;
  text: string;
  /** undefined when the service part is not an id: "Invalid service", as in `add`. */
  serviceId: number | undefined;
  link: string | undefined;
  /** null when the quantity part is not a whole number (the service's range answers it). */
  quantity: number | null | undefined;
  /** A line without its three parts is refused before any service is looked up. */
  malformed?: Refusal;
}

const SERVICE_ID = /^#?0*(\d{1,15})$/;
const QUANTITY = /^0*\d{1,16}$/;

/**
 * One line: the service before the first `|`, the quantity after the last, the link between
 * (so a link that holds a `|` itself still reads as one link).
 */
function parseLine(text: string, lineNumber: number): MassOrderLine {
  const first = text.indexOf('|');
  const last = text.lastIndexOf('|');
  if (first === -1 || first === last) {
    return {
      lineNumber,
      text,
      serviceId: undefined,
      link: undefined,
      quantity: undefined,
      malformed: { code: 'mass_order_line_malformed', details: {} },
    };
  }
  const serviceText = text.slice(0, first).trim();
  const link = text.slice(first + 1, last).trim();
  const quantityText = text.slice(last + 1).trim();
  const serviceMatch = SERVICE_ID.exec(serviceText);
  const quantity = QUANTITY.test(quantityText) ? Number(quantityText) : null;
  return {
    lineNumber,
    text,
    serviceId: serviceMatch ? Number(serviceMatch[1]) : undefined,
    link,
    quantity: quantity !== null && Number.isSafeInteger(quantity) ? quantity : null,
  };
}

/** The lines of a mass order; blank lines are skipped. Refuses an empty text and over 100 lines. */
export function parseMassOrder(text: string): MassOrderLine[] {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ line: line.trim(), lineNumber: index + 1 }))
    .filter(({ line }) => line !== '');
  if (lines.length === 0) throw new DomainError('mass_order_empty');
  if (lines.length > MAX_MASS_ORDER_LINES) throw new DomainError('too_many_orders');
  return lines.map(({ line, lineNumber }) => parseLine(line, lineNumber));
}

/**
 * Which priced lines the balance pays for when they are placed one after another, in order:
 * a line that does not fit is refused and a later, cheaper one may still fit (contract §6,
 * each order checked against the balance left at its own debit).
 */
export function fitToBalance(
  chargesUnits: readonly number[],
  balanceUnits: number,
): { fits: boolean[]; totalUnits: number; leftUnits: number[] } {
  let left = balanceUnits;
  const fits: boolean[] = [];
  const leftUnits: number[] = [];
  for (const charge of chargesUnits) {
    leftUnits.push(left);
    const doesFit = charge <= left;
    fits.push(doesFit);
    if (doesFit) left -= charge;
  }
  return { fits, totalUnits: balanceUnits - left, leftUnits };
}
