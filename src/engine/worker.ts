import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../app/context.js';
import {
  claimDueOrders,
  earliestDueAt,
  findServicesByIds,
  PARKED_AT,
  releaseLeases,
} from '../storage/engine-repository.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { OrderRow, ServiceRow } from '../storage/schema.js';
import { applyReport } from './apply-report.js';
import { simulateStep } from './backends/simulator.js';
import { runUpstreamOrders } from './backends/upstream.js';
import { type EngineLogger, silentLogger } from './logger.js';
import type { EngineSettings } from './settings.js';

export interface WorkerOptions {
  readonly ctx: AppContext;
  readonly settings: EngineSettings;
  readonly logger?: EngineLogger;
  /** Names this worker's leases; unique per process by default. */
  readonly owner?: string;
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * The fulfilment worker. Each round claims due orders with a lease, runs one step of each
 * through its service's backend, and gives the leases back. Several workers, in one process or
 * many, share a database: leases keep them on disjoint orders, and every write is checked
 * against the order's version, so a worker that lost its lease cannot apply a step twice.
 */
export class Worker {
  readonly owner: string;
  private readonly logger: EngineLogger;
  private isRunning = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Processes due work until none is left or `maxOrders` steps were run; returns the steps run.
   * Tests drive the engine with it and a fake clock.
   */
  async runOnce(maxOrders = Number.POSITIVE_INFINITY): Promise<number> {
    const { ctx, settings } = this.options;
    let processed = 0;
    while (processed < maxOrders) {
      const claimed = await claimDueOrders(ctx.db, ctx.kind, {
        owner: this.owner,
        nowMs: ctx.clock.now(),
        leaseMs: settings.leaseMs,
        limit: Math.min(settings.batchSize, maxOrders - processed),
      });
      if (claimed.length === 0) break;
      try {
        await this.processClaimed(claimed);
      } finally {
        await releaseLeases(
          ctx.db,
          this.owner,
          claimed.map((order) => order.id),
        );
      }
      processed += claimed.length;
    }
    return processed;
  }

  private async processClaimed(claimed: OrderRow[]): Promise<void> {
    const services = new Map<number, ServiceRow>();
    const serviceIds = [...new Set(claimed.map((order) => order.service_id))];
    for (const service of await findServicesByIds(this.options.ctx.db, serviceIds))
      services.set(service.id, service);
    const simulated: OrderRow[] = [];
    const upstream = new Map<string, OrderRow[]>();
    for (const order of claimed) {
      const backend = order.backend ?? services.get(order.service_id)?.backend ?? 'operator';
      if (backend === 'simulator') simulated.push(order);
      else if (backend.startsWith('upstream:')) {
        upstream.set(backend, [...(upstream.get(backend) ?? []), order]);
      } else await this.park(order);
    }
    // PostgreSQL runs steps side by side on its pool; SQLite has one writer anyway.
    const lanes = this.options.ctx.kind === 'postgres' ? 4 : 1;
    await eachLimited(simulated, lanes, (order) => this.simulate(order));
    for (const [backend, orders] of upstream) await this.runUpstream(backend, orders, services);
  }

  /** The operator queue: the order waits for a person; the engine never looks at it again. */
  private async park(order: OrderRow): Promise<void> {
    await applyReport(this.options.ctx, {
      orderId: order.id,
      expectVersion: order.version,
      report: { kind: 'wait' },
      patch: { backend: 'operator', next_run_at: PARKED_AT },
    });
  }

  private async simulate(order: OrderRow): Promise<void> {
    const step = simulateStep(order, this.options.settings.simulator, this.options.ctx.clock.now());
    await applyReport(this.options.ctx, {
      orderId: order.id,
      expectVersion: order.version,
      report: step.report,
      patch: { backend: 'simulator', next_run_at: step.nextRunAt },
    });
  }

  private async runUpstream(backend: string, orders: OrderRow[], services: Map<number, ServiceRow>) {
    const providerName = backend.slice('upstream:'.length);
    await runUpstreamOrders(
      {
        ctx: this.options.ctx,
        settings: this.options.settings.upstream,
        logger: this.logger,
        provider: await findProviderByName(this.options.ctx.db, providerName),
        providerName,
        services,
      },
      orders,
    );
  }

  /** How long the real loop may sleep: until the next order is due, at most `pollMs`. */
  private async idleMs(): Promise<number> {
    const { ctx, settings } = this.options;
    const dueAt = await earliestDueAt(ctx.db);
    if (dueAt === undefined) return settings.pollMs;
    return Math.max(1, Math.min(settings.pollMs, dueAt - ctx.clock.now()));
  }

  /** The real loop: rounds back to back while there is work, otherwise asleep until some is due. */
  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.logger.info({ owner: this.owner }, 'worker started');
    this.loop = (async () => {
      while (this.isRunning) {
        let sleepMs = 0;
        try {
          const processed = await this.runOnce(this.options.settings.batchSize);
          if (processed === 0) sleepMs = await this.idleMs();
        } catch (error) {
          this.logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'worker round failed',
          );
          sleepMs = this.options.settings.pollMs;
        }
        if (sleepMs > 0 && this.isRunning) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, sleepMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    this.logger.info({ owner: this.owner }, 'worker stopped');
  }
}
