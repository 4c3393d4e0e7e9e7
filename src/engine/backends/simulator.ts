import { toDripOrder } from '../../app/sync-order-runs.js';
import type { DeliveryReport } from '../../domain/delivery-report.js';
import {
  deliverableUnits,
  deliveredQuantity,
  nextRunAt as nextDripRunAt,
  runQuantity,
} from '../../domain/drip-feed.js';
import { simulatorTestPrefix } from '../../domain/simulator-test-links.js';
import type { OrderRow } from '../../storage/schema.js';
import type { SimulatorSettings } from '../settings.js';

/** A simulator step: what happened, and when the engine should look at the order again. */
export interface SimulatorStep {
  readonly report: DeliveryReport;
  readonly nextRunAt: number;
}

/** A deterministic "current count" for a link (FNV-1a), so a demo and a test see the same figure. */
export function simulatedStartCount(link: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < link.length; i++) {
    hash ^= link.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 100 + (hash % 50_000);
}

export function simulatedStepUnits(settings: SimulatorSettings, quantity: number): number {
  return settings.stepUnits > 0 ? settings.stepUnits : Math.max(1, Math.ceil(quantity / 20));
}

/**
 * Delivery without anyone doing anything: it starts `startDelayMs` after the order was placed
 * and then delivers a step every `stepMs`. Test links (simulator-test-links.ts) fail on purpose.
 * Pure: it reads only the order's stored state, so a step retried after a crash decides the same.
 */
export function simulateStep(order: OrderRow, settings: SimulatorSettings, nowMs: number): SimulatorStep {
  const nextRunAt = nowMs + settings.stepMs;
  if (order.status === 'Pending') {
    const startAt = order.created_at + settings.startDelayMs;
    if (nowMs < startAt) return { report: { kind: 'wait' }, nextRunAt: startAt };
    return { report: { kind: 'start', startCount: simulatedStartCount(order.link) }, nextRunAt };
  }
  const drip = toDripOrder(order);
  // Drip-feed: each run is a delivery of its own quantity, and none takes units before it is due.
  const deliverable = drip ? deliverableUnits(drip, nowMs) - deliveredQuantity(drip) : order.remains;
  if (drip && deliverable <= 0) return { report: { kind: 'wait' }, nextRunAt: nextDripRunAt(drip, nowMs) };
  const stepUnits = Math.min(
    simulatedStepUnits(settings, drip ? runQuantity(drip) : order.quantity),
    deliverable,
  );
  switch (simulatorTestPrefix(order.link)) {
    case 'gone':
      return { report: { kind: 'failed_attempt' }, nextRunAt };
    case 'flaky':
      // Three failures, then a success that resets the count: never the fifth failure.
      if (order.failed_attempts < 3) return { report: { kind: 'failed_attempt' }, nextRunAt };
      return { report: { kind: 'deliver', units: stepUnits }, nextRunAt };
    case 'crash': {
      const firstUnits = Math.min(stepUnits, Math.floor(order.quantity / 2));
      if (order.remains < order.quantity || firstUnits === 0) {
        return { report: { kind: 'internal_error' }, nextRunAt };
      }
      return { report: { kind: 'deliver', units: firstUnits }, nextRunAt };
    }
    default:
      return { report: { kind: 'deliver', units: stepUnits }, nextRunAt };
  }
}
