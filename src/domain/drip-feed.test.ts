import { describe, expect, it } from 'vitest';
import { decideReport } from './delivery-report.js';
import {
  currentRun,
  type DripOrder,
  decideDripPlan,
  deliverableUnits,
  isBetweenRuns,
  nextRunAt,
  runProjection,
  runReportToOrderReport,
} from './drip-feed.js';
import { decideCancel, type OrderState } from './order-lifecycle.js';

const MINUTE = 60_000;
/** 10 runs of 100 every 30 minutes, placed at t = 1000. */
const order = (remains: number): DripOrder => ({
  quantity: 1000,
  remains,
  runs: 10,
  intervalMinutes: 30,
  createdAt: 1000,
});

describe('drip-feed plan (contract §13)', () => {
  it('an ordinary order when neither is sent, on any service', () => {
    expect(decideDripPlan(false, undefined, undefined)).toEqual({ ok: true, plan: undefined });
    expect(decideDripPlan(true, undefined, undefined)).toEqual({ ok: true, plan: undefined });
  });

  it('refuses runs or interval on a service that is not drip-feed', () => {
    for (const [runs, interval] of [
      [5, 10],
      [5, undefined],
      [undefined, 10],
      [null, undefined],
    ] as const)
      expect(decideDripPlan(false, runs, interval)).toEqual({
        ok: false,
        refusal: { code: 'dripfeed_not_supported', details: {} },
      });
  });

  it('checks runs 2–100 then interval 1–1440; a missing one is out of range', () => {
    const runsRefusal = { ok: false, refusal: { code: 'runs_out_of_range', details: { min: 2, max: 100 } } };
    const intervalRefusal = {
      ok: false,
      refusal: { code: 'interval_out_of_range', details: { min: 1, max: 1440 } },
    };
    for (const runs of [0, 1, 101, null, undefined])
      expect(decideDripPlan(true, runs, 10)).toEqual(runsRefusal);
    for (const interval of [0, 1441, null, undefined])
      expect(decideDripPlan(true, 5, interval)).toEqual(intervalRefusal);
    expect(decideDripPlan(true, 0, 0)).toEqual(runsRefusal);
    expect(decideDripPlan(true, 2, 1)).toEqual({ ok: true, plan: { runs: 2, intervalMinutes: 1 } });
    expect(decideDripPlan(true, 100, 1440)).toEqual({ ok: true, plan: { runs: 100, intervalMinutes: 1440 } });
  });
});

describe('drip-feed schedule', () => {
  it('allows the units of the runs that are due, run k at placement + k × interval', () => {
    expect(deliverableUnits(order(1000), 999)).toBe(0);
    expect(deliverableUnits(order(1000), 1000)).toBe(100);
    expect(deliverableUnits(order(1000), 1000 + 30 * MINUTE - 1)).toBe(100);
    expect(deliverableUnits(order(1000), 1000 + 30 * MINUTE)).toBe(200);
    expect(deliverableUnits(order(1000), 1000 + 10_000 * MINUTE)).toBe(1000);
  });

  it('knows the current run, and waits between runs until the next is due (or now when late)', () => {
    expect(currentRun(order(1000))).toMatchObject({ number: 1, delivered: 0, remains: 100 });
    expect(currentRun(order(850))).toMatchObject({ number: 2, delivered: 50, remains: 50 });
    expect(currentRun(order(0))).toMatchObject({ number: 10, delivered: 100, remains: 0 });
    expect(isBetweenRuns(order(800))).toBe(true);
    expect(isBetweenRuns(order(850))).toBe(false);
    expect(isBetweenRuns(order(0))).toBe(false);
    expect(nextRunAt(order(800), 5000)).toBe(1000 + 60 * MINUTE);
    expect(nextRunAt(order(800), 1000 + 99 * MINUTE)).toBe(1000 + 99 * MINUTE);
  });

  it('projects each run from the whole order', () => {
    const live = { ...order(850), isFinal: false };
    expect(runProjection(live, 0, false)).toEqual({ delivered: 100, status: 'done' });
    expect(runProjection(live, 1, false)).toEqual({ delivered: 50, status: 'running' });
    expect(runProjection(live, 2, false)).toEqual({ delivered: 0, status: 'waiting' });
    expect(runProjection({ ...order(800), isFinal: false }, 2, true)).toEqual({
      delivered: 0,
      status: 'running',
    });
    const ended = { ...order(850), isFinal: true };
    expect(runProjection(ended, 1, false)).toEqual({ delivered: 50, status: 'stopped' });
    expect(runProjection(ended, 9, false)).toEqual({ delivered: 0, status: 'stopped' });
  });
});

describe('drip-feed upstream reports on the whole order', () => {
  it('a run in progress lowers the whole order’s remains; start_count only from run 1', () => {
    expect(runReportToOrderReport(order(1000), { kind: 'progress', remains: 40, startCount: 7 })).toEqual({
      report: { kind: 'progress', remains: 940, startCount: 7 },
      isRunFinished: false,
    });
    expect(runReportToOrderReport(order(900), { kind: 'progress', remains: 40, startCount: 7 })).toEqual({
      report: { kind: 'progress', remains: 840 },
      isRunFinished: false,
    });
  });

  it('a completed run before the last is progress; the last one completes the order', () => {
    expect(
      runReportToOrderReport(order(850), { kind: 'progress', remains: 50, ending: 'completed' }),
    ).toEqual({
      report: { kind: 'progress', remains: 800 },
      isRunFinished: true,
    });
    expect(runReportToOrderReport(order(100), { kind: 'progress', remains: 0, ending: 'completed' })).toEqual(
      {
        report: { kind: 'progress', remains: 0, ending: 'completed' },
        isRunFinished: true,
      },
    );
  });

  it('a failed run ends the whole order: Error refunds every remaining run (contract §9)', () => {
    const state: OrderState = {
      status: 'In progress',
      quantity: 1000,
      remains: 700,
      chargeUnits: 35_000,
      refundedUnits: 0,
      failedAttempts: 0,
    };
    const failed = runReportToOrderReport(order(700), { kind: 'progress', remains: 100, ending: 'failed' });
    const decision = decideReport(state, failed.report);
    expect(decision).toMatchObject({
      ok: true,
      value: { transition: { status: 'Error', refundUnits: 24_500 } },
    });
  });

  it('a cancel applies §9 to the whole order: 30% delivered, half of the undelivered 70% back', () => {
    const state: OrderState = {
      status: 'In progress',
      quantity: 1000,
      remains: 700,
      chargeUnits: 35_000,
      refundedUnits: 0,
      failedAttempts: 0,
    };
    expect(decideCancel(state, true)).toMatchObject({
      ok: true,
      value: { status: 'Partial', refundUnits: 12_250 },
    });
  });
});
