import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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

/**
 * The property's checks, as plain throws: `expect` costs tens of microseconds a call, and over
 * 12,000 runs of up to 20 events each it was most of this file's CPU. fast-check reports the
 * thrown message with the shrunk counterexample, as it would an expect's.
 */
function holds(isTrue: boolean, what: string, ...values: unknown[]): void {
  if (!isTrue) throw new Error(`${what} does not hold: ${values.map(String).join(', ')}`);
}
function same<T>(actual: T, expected: T, what: string): void {
  holds(actual === expected, `${what}: ${String(actual)} === ${String(expected)}`);
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
          same(BigInt(chargeUnits), expectedCharge(rateUnits, tier.percent, quantity), 'charge');
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
              same(transition.status, ending.status, 'ending status');
              same(BigInt(transition.refundUnits), ending.refund, 'ending refund');
            } else {
              same(transition.refundUnits, 0, 'refund before the end');
            }
            holds(transition.remains >= 0, 'remains ≥ 0', transition.remains);
            holds(
              transition.remains <= state.remains,
              'remains never grow',
              transition.remains,
              state.remains,
            );
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
          same(balanceBefore, balance + chargeUnits - refundUnits, 'conservation');
          same(
            ledger.reduce((sum, entry) => sum + entry.amountUnits, balanceBefore),
            balance,
            'ledger sum',
          );
          // At most one refund, never above the charge, never negative.
          holds(ledger.filter((entry) => entry.kind === 'refund').length <= 1, 'at most one refund');
          holds(refundUnits >= 0, 'refund ≥ 0', refundUnits);
          holds(refundUnits <= chargeUnits, 'refund ≤ charge', refundUnits, chargeUnits);
          holds(Number.isSafeInteger(balance), 'balance a safe integer', balance);
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
