import type { AppContext } from '../../src/app/context.js';
import { placeOrder } from '../../src/app/place-order.js';
import type { FakeClock } from '../../src/domain/clock.js';
import { type EngineLogger, silentLogger } from '../../src/engine/logger.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../../src/engine/settings.js';
import { Worker } from '../../src/engine/worker.js';
import { findOrderById } from '../../src/storage/orders-repository.js';
import type { OrderRow } from '../../src/storage/schema.js';

/** Engine settings for tests: a simulator that starts after 1 s and delivers 100 units a second. */
export function testSettings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    ...DEFAULT_ENGINE_SETTINGS,
    simulator: { startDelayMs: 1_000, stepMs: 1_000, stepUnits: 100 },
    upstream: { timeoutMs: 2_000, pollMs: 10_000, giveUpMs: 60_000, retryBaseMs: 1_000 },
    ...overrides,
  };
}

export function testWorker(ctx: AppContext, settings = testSettings(), logger: EngineLogger = silentLogger) {
  return new Worker({ ctx, settings, logger });
}

/** Runs the worker and moves the fake clock by `stepMs` until `isDone` or `maxRounds`. */
export async function drive(
  worker: Worker,
  clock: FakeClock,
  options: { stepMs: number; maxRounds?: number; isDone?: () => Promise<boolean> },
): Promise<void> {
  for (let round = 0; round < (options.maxRounds ?? 200); round++) {
    await worker.runOnce();
    if (options.isDone && (await options.isDone())) return;
    clock.advance(options.stepMs);
  }
}

export async function placeTestOrder(
  ctx: AppContext,
  options: { accountId: number; serviceId: number; link: string; quantity: number },
): Promise<number> {
  const placed = await placeOrder(ctx, { ...options, comments: undefined });
  return placed.orderId;
}

export async function readOrder(ctx: AppContext, orderId: number): Promise<OrderRow> {
  const order = await findOrderById(ctx.db, orderId);
  if (!order) throw new Error(`order ${orderId} is missing`);
  return order;
}
