import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideReport } from './delivery-report.js';
import { decideAbandoned, MAX_CONSECUTIVE_FAILURES, type OrderState } from './order-lifecycle.js';

const order = (fields: Partial<OrderState> = {}): OrderState => ({
  status: 'In progress',
  quantity: 1000,
  remains: 1000,
  chargeUnits: 35_000,
  refundedUnits: 0,
  failedAttempts: 0,
  ...fields,
});

function value(state: OrderState, report: Parameters<typeof decideReport>[1]) {
  const decision = decideReport(state, report);
  if (!decision.ok) throw new Error(decision.refusal.code);
  return decision.value;
}

describe('decideReport', () => {
  it('starts a Pending order with its start count', () => {
    expect(value(order({ status: 'Pending' }), { kind: 'start', startCount: 42 })).toEqual({
      transition: { status: 'In progress', remains: 1000, failedAttempts: 0, refundUnits: 0 },
      startCount: 42,
    });
  });

  it('passes through In progress when a delivery arrives for a Pending order', () => {
    expect(value(order({ status: 'Pending' }), { kind: 'deliver', units: 100 })).toEqual({
      transition: { status: 'In progress', remains: 900, failedAttempts: 0, refundUnits: 0 },
      startCount: 0,
    });
  });

  it('completes when the last units are delivered, never below zero', () => {
    expect(value(order({ remains: 50 }), { kind: 'deliver', units: 80 })?.transition).toEqual({
      status: 'Completed',
      remains: 0,
      failedAttempts: 0,
      refundUnits: 0,
    });
  });

  it('ends Partial with 50% of the undelivered part at the fifth failure in a row', () => {
    let state = order({ remains: 600 });
    for (let attempt = 1; attempt < MAX_CONSECUTIVE_FAILURES; attempt++) {
      const step = value(state, { kind: 'failed_attempt' });
      expect(step?.transition.status).toBe('In progress');
      state = { ...state, failedAttempts: attempt };
    }
    // 35000 × 600 / 1000 × 0.5 = 10500
    expect(value(state, { kind: 'failed_attempt' })?.transition).toEqual({
      status: 'Partial',
      remains: 600,
      failedAttempts: 5,
      refundUnits: 10_500,
    });
  });

  it('resets the failure count on a success', () => {
    expect(
      value(order({ failedAttempts: 4 }), { kind: 'deliver', units: 1 })?.transition.failedAttempts,
    ).toBe(0);
  });

  it('ends Error with the whole undelivered part on an internal failure', () => {
    expect(value(order({ remains: 250 }), { kind: 'internal_error' })?.transition).toEqual({
      status: 'Error',
      remains: 250,
      failedAttempts: 0,
      refundUnits: 8_750,
    });
    expect(value(order({ status: 'Pending' }), { kind: 'internal_error' })?.transition.refundUnits).toBe(
      35_000,
    );
  });

  it('takes absolute progress, never letting remains rise', () => {
    const state = order({ remains: 400 });
    expect(value(state, { kind: 'progress', remains: 300 })?.transition.remains).toBe(300);
    expect(value(state, { kind: 'progress', remains: 400 })).toBeUndefined();
    expect(value(state, { kind: 'progress', remains: 900 })).toBeUndefined();
  });

  it('maps upstream endings: completed, abandoned (Partial, 50%), failed (Error, 100%)', () => {
    const state = order({ status: 'Pending' });
    expect(value(state, { kind: 'progress', remains: 7, ending: 'completed' })?.transition.status).toBe(
      'Completed',
    );
    expect(value(state, { kind: 'progress', remains: 600, ending: 'abandoned' })?.transition).toEqual({
      status: 'Partial',
      remains: 600,
      failedAttempts: 0,
      refundUnits: 10_500,
    });
    expect(value(state, { kind: 'progress', remains: 600, ending: 'failed' })?.transition.refundUnits).toBe(
      21_000,
    );
  });

  it('refuses every report on a final order', () => {
    for (const status of ['Completed', 'Partial', 'Canceled', 'Error'] as const) {
      for (const report of [
        { kind: 'deliver', units: 1 },
        { kind: 'failed_attempt' },
        { kind: 'internal_error' },
        { kind: 'progress', remains: 0 },
      ] as const) {
        expect(decideReport(order({ status, remains: 10 }), report).ok).toBe(false);
      }
    }
    expect(decideAbandoned(order({ status: 'Pending' })).ok).toBe(false);
  });

  it('never refunds more than the charge, whatever the reports (property)', () => {
    const report = fc.oneof(
      fc.record({ kind: fc.constant('deliver' as const), units: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ kind: fc.constant('failed_attempt' as const) }),
      fc.record({ kind: fc.constant('internal_error' as const) }),
      fc.record({
        kind: fc.constant('progress' as const),
        remains: fc.integer({ min: 0, max: 1000 }),
        ending: fc.constantFrom('completed' as const, 'abandoned' as const, 'failed' as const, undefined),
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(report, { maxLength: 30 }),
        (charge, reports) => {
          let state = order({ status: 'Pending', chargeUnits: charge });
          for (const next of reports) {
            const decision = decideReport(
              state,
              next.kind === 'progress' && next.ending === undefined
                ? { kind: 'progress', remains: next.remains }
                : next,
            );
            if (!decision.ok || !decision.value) continue;
            const { transition } = decision.value;
            expect(transition.remains).toBeLessThanOrEqual(state.remains);
            state = {
              ...state,
              status: transition.status,
              remains: transition.remains,
              failedAttempts: transition.failedAttempts,
              refundedUnits: state.refundedUnits + transition.refundUnits,
            };
          }
          expect(state.refundedUnits).toBeLessThanOrEqual(charge);
          expect(state.refundedUnits).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
