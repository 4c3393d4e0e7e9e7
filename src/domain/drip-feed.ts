import type { DeliveryReport } from './delivery-report.js';
import type { Refusal } from './errors.js';

/**
 * Drip-feed (contract §13): an order of `runs` runs of `quantity` units each, run k (0-based)
 * due `k × interval` after placement. The order row holds the whole order (quantity = runs ×
 * per-run quantity, remains of the whole), so status, refunds and cancel (§8, §9) apply to the
 * whole order unchanged; this module says how the whole order's delivery splits into runs.
 *
 * Schedule rule: run k starts at placement + k × interval, and never before run k − 1 has
 * delivered all its units (a reseller expects runs one after another, never overlapping), so
 * a late run pushes the next ones back rather than bunching them.
 */
export const RUNS_RANGE = Object.freeze({ min: 2, max: 100 });
export const INTERVAL_MINUTES_RANGE = Object.freeze({ min: 1, max: 1440 });
const MINUTE_MS = 60_000;

export interface DripPlan {
  readonly runs: number;
  readonly intervalMinutes: number;
}

type DripRefusal = Extract<
  Refusal,
  { code: 'dripfeed_not_supported' | 'runs_out_of_range' | 'interval_out_of_range' }
>;

const inRange = (value: number | null | undefined, range: { min: number; max: number }) =>
  typeof value === 'number' && value >= range.min && value <= range.max;

/**
 * The drip-feed part of `add`. Neither `runs` nor `interval` sent: an ordinary order (undefined).
 * One of them sent: both are required, and a missing one is refused like a missing quantity
 * (§6: missing, not an integer or outside the range is "out of range"). `null` is "sent, but
 * not an integer".
 */
export function decideDripPlan(
  isDripfeed: boolean,
  runs: number | null | undefined,
  intervalMinutes: number | null | undefined,
): { ok: true; plan: DripPlan | undefined } | { ok: false; refusal: DripRefusal } {
  if (runs === undefined && intervalMinutes === undefined) return { ok: true, plan: undefined };
  if (!isDripfeed) return { ok: false, refusal: { code: 'dripfeed_not_supported', details: {} } };
  if (!inRange(runs, RUNS_RANGE))
    return { ok: false, refusal: { code: 'runs_out_of_range', details: RUNS_RANGE } };
  if (!inRange(intervalMinutes, INTERVAL_MINUTES_RANGE)) {
    return { ok: false, refusal: { code: 'interval_out_of_range', details: INTERVAL_MINUTES_RANGE } };
  }
  return { ok: true, plan: { runs: runs as number, intervalMinutes: intervalMinutes as number } };
}

/** What the run arithmetic needs of a drip-feed order. */
export interface DripOrder {
  /** The whole order: runs × per-run quantity. */
  readonly quantity: number;
  readonly remains: number;
  readonly runs: number;
  readonly intervalMinutes: number;
  readonly createdAt: number;
}

export const runQuantity = (order: DripOrder): number => order.quantity / order.runs;
export const deliveredQuantity = (order: DripOrder): number => order.quantity - order.remains;

/** When run `index` (0-based) is due by the schedule alone. */
export function runDueAt(order: DripOrder, index: number): number {
  return order.createdAt + index * order.intervalMinutes * MINUTE_MS;
}

/** The run under way, or the next one when the last finished exactly; the last run once all is delivered. */
export function currentRun(order: DripOrder) {
  const perRun = runQuantity(order);
  const index = Math.min(order.runs - 1, Math.floor(deliveredQuantity(order) / perRun));
  const delivered = deliveredQuantity(order) - index * perRun;
  return { index, number: index + 1, delivered, remains: perRun - delivered, dueAt: runDueAt(order, index) };
}

/** Whether the order sits between two runs: every started run delivered, more to come. */
export function isBetweenRuns(order: DripOrder): boolean {
  const delivered = deliveredQuantity(order);
  return delivered < order.quantity && delivered % runQuantity(order) === 0;
}

/**
 * How many units of the whole order the schedule allows delivered by `nowMs`: all units of the
 * runs that are due. Deliveries fill the runs in order, so a run can only take units once the
 * ones before it are full (the "never before the previous run finished" half of the rule).
 */
export function deliverableUnits(order: DripOrder, nowMs: number): number {
  if (nowMs < order.createdAt) return 0;
  const elapsedRuns = Math.floor((nowMs - order.createdAt) / (order.intervalMinutes * MINUTE_MS)) + 1;
  return Math.min(order.runs, elapsedRuns) * runQuantity(order);
}

/**
 * When the engine should next look at an order between runs: the next run's due time, or now
 * if it is already due (the previous run finished late).
 */
export function nextRunAt(order: DripOrder, nowMs: number): number {
  return Math.max(nowMs, runDueAt(order, currentRun(order).index));
}

export type RunStatus = 'waiting' | 'running' | 'done' | 'stopped';

/** One run as the order's state shows it; `isStarted` says whether the current run has begun. */
export function runProjection(
  order: DripOrder & { readonly isFinal: boolean },
  index: number,
  isStarted: boolean,
): { delivered: number; status: RunStatus } {
  const perRun = runQuantity(order);
  const delivered = Math.min(perRun, Math.max(0, deliveredQuantity(order) - index * perRun));
  if (delivered === perRun) return { delivered, status: 'done' };
  if (order.isFinal) return { delivered, status: 'stopped' };
  if (delivered > 0 || isStarted) return { delivered, status: 'running' };
  return { delivered, status: 'waiting' };
}

/** The whole order's schedule, for the runs table written at placement. */
export function plannedRuns(plan: DripPlan, perRunQuantity: number, createdAt: number) {
  return Array.from({ length: plan.runs }, (_, index) => ({
    runNumber: index + 1,
    quantity: perRunQuantity,
    dueAt: createdAt + index * plan.intervalMinutes * MINUTE_MS,
  }));
}

/**
 * An upstream provider's report on the current run (one upstream order per run), as a report on
 * the whole order: the run's remains become the order's, and a run completed before the last
 * is progress, not the end of the order. `startCount` counts only from the first run (the
 * order's start count is read when its delivery starts, contract §10).
 */
export function runReportToOrderReport(
  order: DripOrder,
  report: DeliveryReport,
): { report: DeliveryReport; isRunFinished: boolean } {
  if (report.kind !== 'progress') return { report, isRunFinished: false };
  const run = currentRun(order);
  const runRemains = report.ending === 'completed' ? 0 : Math.min(run.remains, report.remains);
  const remains = order.remains - (run.remains - runRemains);
  const startCount = run.index === 0 ? report.startCount : undefined;
  const isRunFinished = report.ending === 'completed';
  const ending = isRunFinished && run.index < order.runs - 1 ? undefined : report.ending;
  return {
    report: {
      kind: 'progress',
      remains,
      ...(startCount === undefined ? {} : { startCount }),
      ...(ending === undefined ? {} : { ending }),
    },
    isRunFinished,
  };
}
