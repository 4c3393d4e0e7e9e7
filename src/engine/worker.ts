import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type ApplyReportOptions, applyReportInTransaction } from '../app/apply-delivery-report.js';
import { compactBusinessSummaries } from '../app/compact-business-summaries.js';
import type { AppContext } from '../app/context.js';
import { purgeExpiredRecords } from '../app/purge-expired-records.js';
import { syncDueProviders } from '../app/sync-due-providers.js';
import { effectiveBackend, providerOf } from '../domain/backends.js';
import { workerClaimedOrders, workerLag, workerLastRound, workerRounds } from '../observability/metrics.js';
import {
  claimDueOrders,
  earliestClaimableAt,
  findServicesByIds,
  PARKED_AT,
  releaseLeases,
} from '../storage/engine-repository.js';
import { updateOrderAtVersion } from '../storage/orders-repository.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { Executor, OrderRow, ServiceRow } from '../storage/schema.js';
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

const PURGE_INTERVAL_MS = 60_000;
/** How often the summaries' deltas are folded (migration 017); readers fold the rest themselves. */
const SUMMARY_COMPACT_INTERVAL_MS = 5_000;

/**
 * Claimed orders, and how late the earliest of them ran (its due time to now). The empty claim
 * that ends every busy round leaves the lag of its last batch; a round with nothing due sets 0.
 */
function recordClaim(claimed: OrderRow[], nowMs: number, isFirstOfRound: boolean): void {
  workerClaimedOrders.inc(claimed.length);
  if (claimed.length === 0) {
    if (isFirstOfRound) workerLag.set(0);
    return;
  }
  const earliestDueMs = Math.min(...claimed.map((order) => order.next_run_at));
  workerLag.set(Math.max(0, nowMs - earliestDueMs) / 1000);
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
  /** Set when an order is placed in this process during a round: the loop then skips its sleep. */
  private hasNewWork = false;
  private nextSyncCheckAt = 0;
  private unsubscribe: (() => void) | undefined;
  /** Claim queries run (each a round trip and, on SQLite, the write lock), for tests. */
  readonly stats = { claimRounds: 0 };
  /** When the real loop last finished a round (clock ms): /readyz checks it is recent. */
  lastRoundAtMs: number | undefined;
  /** When expired rows are next purged (clock ms); a purge that found a full batch comes back at once. */
  private nextPurgeAtMs = 0;
  /** When the summaries' deltas are next folded (clock ms); a full batch comes back at once. */
  private nextCompactAtMs = 0;

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
      this.stats.claimRounds += 1;
      workerRounds.inc();
      const nowMs = ctx.clock.now();
      const claimed = await claimDueOrders(ctx.db, ctx.kind, {
        owner: this.owner,
        nowMs,
        leaseMs: settings.leaseMs,
        limit: Math.min(settings.batchSize, maxOrders - processed),
      });
      recordClaim(claimed, nowMs, processed === 0);
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
    const local: OrderRow[] = [];
    const upstream = new Map<string, OrderRow[]>();
    for (const order of claimed) {
      const backend = effectiveBackend(order.backend, services.get(order.service_id));
      const provider = providerOf(backend);
      if (provider !== undefined) upstream.set(provider, [...(upstream.get(provider) ?? []), order]);
      else local.push({ ...order, backend });
    }
    // PostgreSQL runs groups side by side on its pool; SQLite has one writer anyway.
    const lanes = this.options.ctx.kind === 'postgres' ? 4 : 1;
    const groupSize = Math.max(1, Math.ceil(local.length / lanes));
    const groups: OrderRow[][] = [];
    for (let i = 0; i < local.length; i += groupSize) groups.push(local.slice(i, i + groupSize));
    await eachLimited(groups, lanes, (group) => this.applyLocalSteps(group));
    for (const [provider, orders] of upstream) await this.runUpstream(provider, orders, services);
  }

  /**
   * The step of an order the engine decides alone: the simulator's next step, or parking an
   * operator order (the order waits for a person; the engine never looks at it again).
   */
  private localStep(order: OrderRow, nowMs: number): Omit<ApplyReportOptions, 'nowMs'> {
    if (order.backend !== 'simulator') {
      return { order, report: { kind: 'wait' }, patch: { backend: 'operator', next_run_at: PARKED_AT } };
    }
    const step = simulateStep(order, this.options.settings.simulator, nowMs);
    return { order, report: step.report, patch: { backend: 'simulator', next_run_at: step.nextRunAt } };
  }

  /**
   * Local steps of a group in one transaction, so a group costs one commit (one fsync on SQLite).
   * Each step is decided from the claimed row and written only if that version is still current:
   * a step that lost a race is skipped, and the others commit. Should the group fail as a whole,
   * each order is tried alone, so one bad order cannot hold the others back; an order that still
   * fails is logged and postponed.
   */
  private async applyLocalSteps(group: OrderRow[]): Promise<void> {
    const { ctx } = this.options;
    const apply = (trx: Executor, order: OrderRow) => {
      const nowMs = ctx.clock.now();
      return applyReportInTransaction(trx, { ...this.localStep(order, nowMs), nowMs });
    };
    try {
      await ctx.db.transaction().execute(async (trx) => {
        for (const order of inLockOrder(group)) await apply(trx, order);
      });
    } catch {
      for (const order of group) {
        try {
          await ctx.db.transaction().execute((trx) => apply(trx, order));
        } catch (error) {
          this.logger.error(
            { orderId: order.id, err: error instanceof Error ? error.message : String(error) },
            'engine step failed; retrying later',
          );
          await this.postpone(order).catch(() => {});
        }
      }
    }
  }

  /** Keeps an order whose step keeps failing from being claimed again at once. */
  private async postpone(order: OrderRow): Promise<void> {
    const { ctx, settings } = this.options;
    await updateOrderAtVersion(ctx.db, order.id, order.version, {
      next_run_at: ctx.clock.now() + settings.pollMs * 10,
    });
  }

  private async runUpstream(providerName: string, orders: OrderRow[], services: Map<number, ServiceRow>) {
    await runUpstreamOrders(
      {
        ctx: this.options.ctx,
        settings: this.options.settings.upstream,
        logger: this.logger,
        provider: await findProviderByName(this.options.ctx.db, providerName),
        providerName,
        services,
        lease: { owner: this.owner, leaseMs: this.options.settings.leaseMs },
      },
      orders,
    );
  }

  /**
   * How long the real loop may sleep: until an order becomes claimable (due, and its lease, if
   * another worker holds one, ended), at most `pollMs`, which bounds how late a worker notices
   * what other processes did (a new order, a lease given back early).
   */
  private async idleMs(): Promise<number> {
    const { ctx, settings } = this.options;
    const nowMs = ctx.clock.now();
    const claimableAt = await earliestClaimableAt(ctx.db, nowMs + settings.pollMs);
    if (claimableAt === undefined) return settings.pollMs;
    return Math.max(1, Math.min(settings.pollMs, claimableAt - nowMs));
  }

  /**
   * Expired idempotency records, sessions and password attempts, one small batch of each, at
   * most once a minute unless the last batch was full (a backlog drains a batch per round).
   */
  private async purgeIfDue(): Promise<boolean> {
    const nowMs = this.options.ctx.clock.now();
    if (nowMs < this.nextPurgeAtMs) return false;
    const outcome = await purgeExpiredRecords(this.options.ctx);
    this.nextPurgeAtMs = outcome.hasMore ? 0 : nowMs + PURGE_INTERVAL_MS;
    return outcome.hasMore;
  }

  /** One batch of the summaries' deltas folded, every few seconds unless a backlog waits. */
  private async compactSummariesIfDue(): Promise<boolean> {
    const nowMs = this.options.ctx.clock.now();
    if (nowMs < this.nextCompactAtMs) return false;
    const outcome = await compactBusinessSummaries(this.options.ctx);
    this.nextCompactAtMs = outcome.hasMore ? 0 : nowMs + SUMMARY_COMPACT_INTERVAL_MS;
    return outcome.hasMore;
  }

  /**
   * Syncs the providers whose last sync is older than the interval, at most once a minute per
   * worker; a lease on each provider keeps two workers off the same one.
   */
  async syncProvidersIfDue(): Promise<void> {
    const { ctx, settings } = this.options;
    const intervalMs = settings.providerSyncIntervalMs;
    if (intervalMs <= 0 || ctx.clock.now() < this.nextSyncCheckAt) return;
    this.nextSyncCheckAt = ctx.clock.now() + Math.min(60_000, intervalMs);
    try {
      const outcomes = await syncDueProviders(ctx, {
        owner: this.owner,
        intervalMs,
        leaseMs: settings.leaseMs,
        timeoutMs: settings.upstream.timeoutMs,
      });
      for (const outcome of outcomes)
        if (outcome.status === 'unreachable')
          this.logger.warn(outcome, 'provider sync could not reach the provider');
    } catch (error) {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'provider sync failed',
      );
    }
  }

  /** One round of the real loop; returns how long to sleep after it. */
  private async round(): Promise<number> {
    await this.syncProvidersIfDue();
    try {
      const processed = await this.runOnce(this.options.settings.batchSize);
      const hasMorePurging = await this.purgeIfDue();
      const hasMoreCompacting = await this.compactSummariesIfDue();
      return processed === 0 && !hasMorePurging && !hasMoreCompacting ? await this.idleMs() : 0;
    } catch (error) {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'worker round failed',
      );
      return this.options.settings.pollMs;
    }
  }

  private sleep(sleepMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, sleepMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The real loop: rounds back to back while there is work, otherwise asleep until some is claimable. */
  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.unsubscribe = this.options.ctx.newWork.subscribe(() => {
      this.hasNewWork = true;
      this.wake?.();
    });
    this.logger.info({ owner: this.owner }, 'worker started');
    this.loop = (async () => {
      while (this.isRunning) {
        this.hasNewWork = false;
        const sleepMs = await this.round();
        this.lastRoundAtMs = this.options.ctx.clock.now();
        workerLastRound.set(Date.now() / 1000);
        if (sleepMs > 0 && this.isRunning && !this.hasNewWork) await this.sleep(sleepMs);
        this.wake = undefined;
      }
    })();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    this.logger.info({ owner: this.owner }, 'worker stopped');
  }
}

/**
 * A group's orders by account, then id: the rows a step locks besides its order (the balance
 * for a refund, the account's status stamp at commit, migration 024) are then taken in the same
 * order by every worker, so two workers' groups queue for each other instead of deadlocking
 * (test/order-status-stamp-locks.test.ts).
 */
export function inLockOrder<T extends { account_id: number; id: number }>(group: readonly T[]): T[] {
  return [...group].sort((a, b) => a.account_id - b.account_id || a.id - b.id);
}
