import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits, MAX_UNITS, mulDivHalfUp, parseEuros } from '../src/domain/money.js';
import {
  decideCancel,
  decideDelivery,
  decideFailedAttempt,
  decideInternalError,
  decideStart,
  type OrderState,
  type Transition,
} from '../src/domain/order-lifecycle.js';
import { DISCOUNT_TIERS, discountedRate, orderCharge } from '../src/domain/pricing.js';

/** Half up on a non-negative fraction n/d, by quotient and remainder (not the code's formula). */
function halfUp(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  return 2n * (n % d) >= d ? quotient + 1n : quotient;
}

/** contract §11 then §3, independently: rate × (100 − p)/100, then × quantity / 1000. */
function expectedCharge(rateUnits: number, percent: number, quantity: number): bigint {
  const rate = halfUp(BigInt(rateUnits) * BigInt(100 - percent), 100n);
  return halfUp(rate * BigInt(quantity), 1000n);
}

type Event =
  | { kind: 'start' }
  | { kind: 'deliver'; share: number }
  | { kind: 'deliverToHalf'; plus: 0 | 1 }
  | { kind: 'fail' }
  | { kind: 'internal' }
  | { kind: 'cancel'; canCancel: boolean };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'start' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  // Brings delivery to exactly half the quantity (or one more): the 50% boundary of §9.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deliverToHalf' as const),
      plus: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'fail' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'internal' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), canCancel: fc.boolean() }) },
);

/** contract §9, written from its table: the refund and the status of the event that ends an order. */
function expectedEnding(event: Event, before: OrderState): { refund: bigint; status: string } | undefined {
  const charge = BigInt(before.chargeUnits);
  const remains = BigInt(before.remains);
  const quantity = BigInt(before.quantity);
  const delivered = quantity - remains;
  if (event.kind === 'cancel') {
    if (delivered === 0n) return { refund: charge, status: 'Canceled' };
    // progress < 50% ⇔ delivered / quantity < 1/2
    if (2n * delivered < quantity)
      return { refund: halfUp(charge * remains, 2n * quantity), status: 'Partial' };
    return { refund: 0n, status: 'Partial' };
  }
  if (event.kind === 'fail') return { refund: halfUp(charge * remains, 2n * quantity), status: 'Partial' };
  if (event.kind === 'internal') return { refund: halfUp(charge * remains, quantity), status: 'Error' };
  return undefined;
}

function decide(event: Event, state: OrderState) {
  switch (event.kind) {
    case 'start':
      return decideStart(state);
    case 'deliver':
      return decideDelivery(state, Math.floor(event.share * state.remains));
    case 'deliverToHalf': {
      const delivered = state.quantity - state.remains;
      return decideDelivery(state, Math.max(0, Math.floor(state.quantity / 2) + event.plus - delivered));
    }
    case 'fail':
      return decideFailedAttempt(state);
    case 'internal':
      return decideInternalError(state);
    case 'cancel':
      return decideCancel(state, event.canCancel);
  }
}

describe('money: charges and refunds through the pure domain', () => {
  it('never creates or destroys a unit, and refunds follow contract §9 exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }), // rate: up to €1000 per 1000
        fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1_000_000 })), // quantity
        fc.constantFrom(...DISCOUNT_TIERS),
        fc.integer({ min: 0, max: 1_000_000_000 }), // balance beyond the charge
        fc.array(eventArb, { minLength: 0, maxLength: 20 }),
        (rateUnits, quantity, tier, spareUnits, events) => {
          const chargeUnits = orderCharge(discountedRate(rateUnits, tier), quantity);
          expect(BigInt(chargeUnits)).toBe(expectedCharge(rateUnits, tier.percent, quantity));
          const balanceBefore = chargeUnits + spareUnits;
          const ledger: { kind: 'charge' | 'refund'; amountUnits: number }[] = [
            { kind: 'charge', amountUnits: -chargeUnits },
          ];
          let balance = balanceBefore - chargeUnits;
          let state: OrderState = {
            status: 'Pending',
            quantity,
            remains: quantity,
            chargeUnits,
            refundedUnits: 0,
            failedAttempts: 0,
          };
          for (const event of events) {
            const decision = decide(event, state);
            if (!decision.ok) continue;
            const transition: Transition = decision.value;
            const ending =
              transition.status === 'Canceled' ||
              transition.status === 'Partial' ||
              transition.status === 'Error'
                ? expectedEnding(event, state)
                : undefined;
            if (ending) {
              expect(transition.status).toBe(ending.status);
              expect(BigInt(transition.refundUnits)).toBe(ending.refund);
            } else {
              expect(transition.refundUnits).toBe(0);
            }
            expect(transition.remains).toBeGreaterThanOrEqual(0);
            expect(transition.remains).toBeLessThanOrEqual(state.remains);
            if (transition.refundUnits > 0) {
              ledger.push({ kind: 'refund', amountUnits: transition.refundUnits });
              balance += transition.refundUnits;
            }
            state = {
              ...state,
              status: transition.status,
              remains: transition.remains,
              failedAttempts: transition.failedAttempts,
              refundedUnits: state.refundedUnits + transition.refundUnits,
            };
          }
          const refundUnits = state.refundedUnits;
          // Conservation: before = after + charge − refund, and the balance is the sum of entries.
          expect(balanceBefore).toBe(balance + chargeUnits - refundUnits);
          expect(ledger.reduce((sum, entry) => sum + entry.amountUnits, balanceBefore)).toBe(balance);
          // At most one refund, never above the charge, never negative.
          expect(ledger.filter((entry) => entry.kind === 'refund').length).toBeLessThanOrEqual(1);
          expect(refundUnits).toBeGreaterThanOrEqual(0);
          expect(refundUnits).toBeLessThanOrEqual(chargeUnits);
          expect(Number.isSafeInteger(balance)).toBe(true);
        },
      ),
      { numRuns: 12_000 },
    );
  });

  it('a fifth consecutive failure ends the order; a success in between resets the count', () => {
    let state: OrderState = {
      status: 'In progress',
      quantity: 1000,
      remains: 900,
      chargeUnits: 35_000,
      refundedUnits: 0,
      failedAttempts: 0,
    };
    const apply = (transition: Transition) => {
      state = { ...state, ...transition, refundedUnits: state.refundedUnits + transition.refundUnits };
    };
    for (let i = 0; i < 4; i++) apply((decideFailedAttempt(state) as { value: Transition }).value);
    apply((decideDelivery(state, 0) as { value: Transition }).value);
    expect(state.failedAttempts).toBe(0);
    for (let i = 0; i < 4; i++) apply((decideFailedAttempt(state) as { value: Transition }).value);
    expect(state.status).toBe('In progress');
    apply((decideFailedAttempt(state) as { value: Transition }).value);
    expect(state.status).toBe('Partial');
    expect(state.refundedUnits).toBe(15_750); // 35 000 × 900 / 1000 × 0.5
  });
});

describe('mulDivHalfUp', () => {
  it.each([
    [1, 1, 2, 1], // 0.5 → 1
    [1, 1, 3, 0], // 0.333 → 0
    [2, 1, 3, 1], // 0.667 → 1
    [4, 1, 10, 0], // 0.4 → 0
    [5, 1, 10, 1], // 0.5 → 1
    [15, 1, 10, 2], // 1.5 → 2
    [25, 1, 10, 3], // 2.5 → 3: half up, not to even
    [35_000, 100, 1000, 3_500],
    [12_345, 37, 1000, 457], // 456.765
    [12_345, 90, 100, 11_111], // 11 110.5
    [0, 123, 7, 0],
    [-1, 1, 2, -1], // halves round away from zero
    [-25, 1, 10, -3],
    [-24, 1, 10, -2],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])('%i × %i ÷ %i = %i', (a, b, c, expected) => {
    expect(mulDivHalfUp(a, b, c)).toBe(expected);
  });

  it('refuses what it cannot compute exactly', () => {
    expect(() => mulDivHalfUp(1.5, 1, 1)).toThrow(RangeError);
    expect(() => mulDivHalfUp(1, 1, 0)).toThrow(RangeError);
    expect(() => mulDivHalfUp(1, 1, -2)).toThrow(RangeError);
    expect(() => mulDivHalfUp(Number.MAX_SAFE_INTEGER, 2, 1)).toThrow(RangeError);
    expect(() => mulDivHalfUp(Number.NaN, 1, 1)).toThrow(RangeError);
  });

  it('matches the quotient-and-remainder rounding for random operands', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        (a, b, c) => {
          expect(BigInt(mulDivHalfUp(a, b, c))).toBe(halfUp(BigInt(a) * BigInt(b), BigInt(c)));
          expect(mulDivHalfUp(-a, b, c)).toBe(-mulDivHalfUp(a, b, c) || 0);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});

describe('formatUnits', () => {
  it.each([
    [0, '0.0000'],
    [1, '0.0001'],
    [10, '0.0010'],
    [3_500, '0.3500'],
    [10_000, '1.0000'],
    [425_000, '42.5000'],
    [123_456_789, '12345.6789'],
    [-1, '-0.0001'],
    [-35_000, '-3.5000'],
    [MAX_UNITS, '100000000000.0000'],
  ])('%i units → %s', (units, text) => {
    expect(formatUnits(units)).toBe(text);
  });

  it('always has exactly 4 decimals and round-trips through parseEuros', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_UNITS, max: MAX_UNITS }), (units) => {
        const text = formatUnits(units);
        expect(text).toMatch(/^-?\d+\.\d{4}$/);
        expect(parseEuros(text)).toBe(units === 0 ? 0 : units);
      }),
      { numRuns: 5_000 },
    );
  });
});
