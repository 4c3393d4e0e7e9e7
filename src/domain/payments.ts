import { DomainError } from './errors.js';
import type { Units } from './money.js';

/**
 * Money in: the rules of a payment that know nothing of Stripe's wire format, banks or SQL.
 * A payment credits the balance once; what the processor later takes back (a refund, a lost
 * dispute) is debited as far as the balance allows and the rest is owed.
 */

export type PaymentStatus =
  | 'pending'
  | 'succeeded'
  | 'failed'
  | 'expired'
  | 'refunded'
  | 'partially_refunded'
  | 'disputed';

export type PaymentMethod = 'card' | 'bank_transfer' | 'manual';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'pending',
  'succeeded',
  'failed',
  'expired',
  'refunded',
  'partially_refunded',
  'disputed',
];
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['card', 'bank_transfer', 'manual'];

/** Stripe counts euro cents; we count 0.0001 EUR. */
export const UNITS_PER_CENT = 100;

export function unitsToCents(units: Units): number {
  if (!Number.isSafeInteger(units) || units % UNITS_PER_CENT !== 0) {
    throw new RangeError(`${units} units is not a whole number of cents`);
  }
  return units / UNITS_PER_CENT;
}

export function centsToUnits(cents: number): Units {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${cents} is not a whole number of cents`);
  return cents * UNITS_PER_CENT;
}

/** A payment has been credited (whatever happened to it since). */
export function isCredited(status: PaymentStatus): boolean {
  return (
    status === 'succeeded' ||
    status === 'refunded' ||
    status === 'partially_refunded' ||
    status === 'disputed'
  );
}

export interface DepositLimits {
  minUnits: Units;
  maxUnits: Units;
}

/** A top-up the customer asks for: within the limits, and in whole cents (what a card can pay). */
export function checkDepositAmount(amountUnits: Units | undefined, limits: DepositLimits): Units {
  if (
    amountUnits === undefined ||
    !Number.isSafeInteger(amountUnits) ||
    amountUnits % UNITS_PER_CENT !== 0 ||
    amountUnits < limits.minUnits ||
    amountUnits > limits.maxUnits
  ) {
    throw new DomainError('deposit_out_of_range', { min: limits.minUnits, max: limits.maxUnits });
  }
  return amountUnits;
}

/** What a debit of `owedUnits` can take from `balanceUnits` now, and what stays owed. */
export function splitDebit(
  balanceUnits: Units,
  owedUnits: Units,
): { debitUnits: Units; outstandingUnits: Units } {
  const debitUnits = Math.min(Math.max(balanceUnits, 0), owedUnits);
  return { debitUnits, outstandingUnits: owedUnits - debitUnits };
}

/** The status after the processor reports `refundedUnits` refunded in all (cumulative). */
export function statusAfterRefund(
  creditedUnits: Units,
  refundedUnits: Units,
  current: PaymentStatus,
): PaymentStatus {
  if (current === 'disputed') return current;
  if (refundedUnits <= 0) return current;
  return refundedUnits >= creditedUnits ? 'refunded' : 'partially_refunded';
}

/**
 * The part of a refund or a lost dispute not yet reversed: reversals never exceed the credit,
 * and a refund reported again (cumulatively, as Stripe does) reverses only what is new.
 */
export function newReversalUnits(options: {
  creditedUnits: Units;
  reversedUnits: Units;
  refundedUnits: Units;
  lostDisputeUnits: Units;
}): Units {
  const owedInAll = Math.min(options.creditedUnits, options.refundedUnits + options.lostDisputeUnits);
  return Math.max(0, owedInAll - options.reversedUnits);
}

/** contract of the receipts: numbered without gaps per year, `2026/000123`. */
export function formatReceiptNumber(year: number, sequence: number): string {
  return `${year}/${String(sequence).padStart(6, '0')}`;
}

/** The calendar year in Rome at `epochMs`: receipts are numbered per Italian year. */
export function romeYear(epochMs: number): number {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', year: 'numeric' }).format(epochMs);
  return Number(text);
}
