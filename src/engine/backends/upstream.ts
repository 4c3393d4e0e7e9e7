import { applyReport, patchOrder } from '../../app/apply-delivery-report.js';
import type { OrderEnginePatch } from '../../app/apply-order-transition.js';
import type { AppContext } from '../../app/context.js';
import { toDripOrder } from '../../app/sync-order-runs.js';
import type { DeliveryReport } from '../../domain/delivery-report.js';
import {
  currentRun,
  isBetweenRuns,
  nextRunAt,
  runQuantity,
  runReportToOrderReport,
} from '../../domain/drip-feed.js';
import { isOpen } from '../../domain/order-lifecycle.js';
import type { OrderRow, ProviderRow, ServiceRow } from '../../storage/schema.js';
import {
  addUpstreamOrder,
  cancelUpstreamOrders,
  fetchUpstreamStatuses,
  redactKey,
  type UpstreamEndpoint,
} from '../../upstream/upstream-client.js';
import { parseUpstreamStatus } from '../../upstream/upstream-status.js';
import type { EngineLogger } from '../logger.js';
import { recordRunPlaced } from '../record-run-placed.js';
import type { UpstreamSettings } from '../settings.js';
import { CANCEL_SENT, settleCancelledOrders, upstreamCost } from './upstream-cost.js';

export const UPSTREAM_BATCH = 100;

export interface UpstreamRun {
  readonly ctx: AppContext;
  readonly settings: UpstreamSettings;
  readonly logger: EngineLogger;
  /** undefined when the provider named by the backend is not registered. */
  readonly provider: ProviderRow | undefined;
  readonly providerName: string;
  readonly services: ReadonlyMap<number, ServiceRow>;
  /** This worker's lease, renewed over each `add` so no other worker takes the order meanwhile. */
  readonly lease: { readonly owner: string; readonly leaseMs: number };
}

const isDripBetweenRuns = (order: OrderRow) => {
  const drip = toDripOrder(order);
  return drip !== undefined && isBetweenRuns(drip);
};

function endpointOf(run: UpstreamRun): UpstreamEndpoint | undefined {
  if (!run.provider) return undefined;
  return {
    url: run.provider.url,
    apiKey: run.provider.api_key,
    timeoutMs: run.settings.timeoutMs,
    network: run.ctx.providerNetwork,
  };
}

/**
 * The idempotency key sent with `add`: one per order (one per run of a drip-feed order), so an
 * upstream that honours it never doubles.
 */
export const upstreamIdempotencyKey = (orderId: number, runNumber?: number) =>
  runNumber === undefined ? `inspiria-order-${orderId}` : `inspiria-order-${orderId}-run-${runNumber}`;

/**
 * What one upstream `add` buys for an order: the whole order, or for a drip-feed order its
 * current run (contract §13: one upstream order per run, `quantity` per run, no runs sent).
 */
function upstreamPurchase(order: OrderRow) {
  const drip = toDripOrder(order);
  if (!drip) return { quantity: order.quantity, runNumber: undefined, dueAt: undefined };
  const run = currentRun(drip);
  return { quantity: runQuantity(drip), runNumber: run.number, dueAt: run.dueAt };
}

/**
 * A failure that may pass: retried with a doubling delay, and after `giveUpMs` of consecutive
 * failures the order ends Error with the undelivered part refunded (contract §9).
 */
async function recordTransientFailure(
  run: UpstreamRun,
  order: OrderRow,
  rawReason: string,
  extra: OrderEnginePatch = {},
) {
  const reason = run.provider ? redactKey(rawReason, run.provider.api_key) : rawReason;
  const nowMs = run.ctx.clock.now();
  const since = order.retry_since ?? nowMs;
  const count = order.retry_count + 1;
  const log = { orderId: order.id, provider: run.providerName, attempt: count };
  if (isOpen(order.status) && nowMs - since >= run.settings.giveUpMs) {
    run.logger.error({ ...log, reason }, 'upstream kept failing; order ends Error with a refund');
    await applyReport(run.ctx, {
      orderId: order.id,
      report: { kind: 'internal_error' },
      patch: { ...extra, retry_count: count, retry_since: since },
    });
    return;
  }
  if (!isOpen(order.status) && nowMs - since >= run.settings.giveUpMs) {
    const what = order.upstream_state === CANCEL_SENT ? 'the charge after our cancel' : 'the cancel';
    run.logger.error({ ...log, reason }, `${what} could not be had from upstream; giving up`);
    await patchOrder(run.ctx, order.id, { upstream_state: 'closed' });
    return;
  }
  run.logger.warn({ ...log, reason }, 'upstream failed; will retry');
  const delayMs = Math.min(run.settings.retryBaseMs * 2 ** Math.min(count - 1, 20), run.settings.pollMs * 10);
  await patchOrder(run.ctx, order.id, {
    ...extra,
    retry_count: count,
    retry_since: since,
    next_run_at: nowMs + delayMs,
  });
}

/**
 * Forwards `add`. The "adding" marker is written first: if we crash before the answer is
 * recorded, we cannot know whether the upstream took the order, and re-sending could buy it
 * twice from an upstream that ignores Idempotency-Key. Such an order, and one whose `add` got an
 * ambiguous reply, ends Error with a full refund and a log line for the operator, instead.
 */
async function addOrder(run: UpstreamRun, order: OrderRow, endpoint: UpstreamEndpoint): Promise<void> {
  const service = run.services.get(order.service_id);
  if (!service?.upstream_service_id) {
    await recordTransientFailure(run, order, `service ${order.service_id} has no upstream service id`);
    return;
  }
  const purchase = upstreamPurchase(order);
  if (purchase.dueAt !== undefined && run.ctx.clock.now() < purchase.dueAt) {
    // A drip-feed run that is not due yet: look again when it is.
    await patchOrder(run.ctx, order.id, { next_run_at: purchase.dueAt });
    return;
  }
  const isMarked = await applyReport(run.ctx, {
    orderId: order.id,
    expectVersion: order.version,
    report: { kind: 'wait' },
    // The lease is renewed with the marker, so it outlasts the request (leaseMs > timeoutMs):
    // no other worker finds the order "adding" while this one still waits for the answer.
    patch: {
      upstream_state: 'adding',
      backend: order.backend ?? service.backend,
      lease_owner: run.lease.owner,
      lease_until: run.ctx.clock.now() + run.lease.leaseMs,
    },
  });
  if (isMarked !== 'unchanged') return;
  const reply = await addUpstreamOrder(endpoint, {
    service: service.upstream_service_id,
    link: order.link,
    quantity: purchase.quantity,
    comments: order.comments,
    idempotencyKey: upstreamIdempotencyKey(order.id, purchase.runNumber),
  });
  const nowMs = run.ctx.clock.now();
  if (reply.ok) {
    // Recorded whatever happened meanwhile: if the customer cancelled, the cancel is forwarded.
    const placed = {
      upstream_order_id: reply.value,
      upstream_state: 'placed',
      next_run_at: nowMs + run.settings.pollMs,
      retry_count: 0,
      retry_since: null,
    };
    if (purchase.runNumber === undefined) await patchOrder(run.ctx, order.id, placed);
    else await recordRunPlaced(run.ctx, order.id, placed);
    return;
  }
  const fresh = { ...order, version: order.version + 1, upstream_state: 'adding' };
  if (reply.failure.kind === 'ambiguous') {
    await endInDoubt(run, fresh, reply.failure.message);
    return;
  }
  await recordTransientFailure(run, fresh, `add: ${reply.failure.message}`, { upstream_state: null });
}

async function endInDoubt(run: UpstreamRun, order: OrderRow, reason: string): Promise<void> {
  run.logger.error(
    {
      orderId: order.id,
      provider: run.providerName,
      reason,
      idempotencyKey: upstreamIdempotencyKey(order.id),
    },
    'upstream add may or may not have been taken; order ends Error with a refund, check the provider',
  );
  let outcome = 'stale';
  for (let attempt = 0; attempt < 5 && outcome === 'stale'; attempt++) {
    outcome = await applyReport(run.ctx, {
      orderId: order.id,
      report: { kind: 'internal_error' },
      patch: { upstream_state: 'closed' },
    });
  }
  // Cancelled meanwhile, or still racing: whatever its status, no add is ever sent for it again.
  if (outcome !== 'applied') await patchOrder(run.ctx, order.id, { upstream_state: 'closed' });
}

async function pollOrders(run: UpstreamRun, orders: OrderRow[], endpoint: UpstreamEndpoint): Promise<void> {
  const reply = await fetchUpstreamStatuses(
    endpoint,
    orders.map((order) => order.upstream_order_id as string),
  );
  for (const order of orders) {
    if (!reply.ok) {
      await recordTransientFailure(run, order, `status: ${reply.failure.message}`);
      continue;
    }
    const drip = toDripOrder(order);
    // A drip-feed order's upstream order is its current run: checked against the run's figures.
    const runView = drip && { quantity: runQuantity(drip), remains: currentRun(drip).remains };
    const parsed = parseUpstreamStatus(reply.value.get(order.upstream_order_id as string), runView ?? order);
    if (!parsed.ok) {
      await recordTransientFailure(run, order, `status: ${parsed.reason}`);
      continue;
    }
    const onOrder = drip ? runReportToOrderReport(drip, parsed.report) : undefined;
    const report = onOrder?.report ?? parsed.report;
    const isEnding = report.kind === 'progress' && report.ending !== undefined;
    // Panels often report start_count only some time after the start: take it once it comes.
    const lateStartCount =
      report.kind === 'progress' &&
      order.status === 'In progress' &&
      order.start_count === 0 &&
      (!drip || currentRun(drip).index === 0) &&
      report.startCount
        ? { start_count: report.startCount }
        : {};
    await applyReport(run.ctx, {
      orderId: order.id,
      report,
      patch: {
        next_run_at: run.ctx.clock.now() + run.settings.pollMs,
        retry_count: 0,
        retry_since: null,
        ...lateStartCount,
        ...(drip && onOrder?.isRunFinished ? runFinishedPatch(run, drip, report) : {}),
        ...upstreamCost(run.provider, order, reply.value.get(order.upstream_order_id as string)),
      },
      // The upstream finished the order itself: nothing is left to forward.
      ...(isEnding ? { finalPatch: { upstream_state: 'closed' } } : {}),
    });
  }
}

/**
 * A drip-feed run finished upstream and more runs remain: nothing is open upstream any more, and
 * the order is due again when its next run is (it never starts before this one finished).
 */
function runFinishedPatch(
  run: UpstreamRun,
  drip: NonNullable<ReturnType<typeof toDripOrder>>,
  report: DeliveryReport,
) {
  if (report.kind !== 'progress' || report.ending !== undefined) return {};
  const after = { ...drip, remains: report.remains };
  return {
    upstream_order_id: null,
    upstream_state: null,
    next_run_at: nextRunAt(after, run.ctx.clock.now()),
  };
}

async function forwardCancels(
  run: UpstreamRun,
  orders: OrderRow[],
  endpoint: UpstreamEndpoint,
): Promise<void> {
  const reply = await cancelUpstreamOrders(
    endpoint,
    orders.map((order) => order.upstream_order_id as string),
  );
  for (const order of orders) {
    // The upstream's answer to the cancel (its refund, its final charge) is still to come.
    if (reply.ok)
      await patchOrder(run.ctx, order.id, {
        upstream_state: CANCEL_SENT,
        retry_count: 0,
        retry_since: null,
        next_run_at: run.ctx.clock.now() + run.settings.pollMs,
      });
    else await recordTransientFailure(run, order, `cancel: ${reply.failure.message}`);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** One round of the upstream backend over the claimed orders of one provider. */
export async function runUpstreamOrders(run: UpstreamRun, orders: OrderRow[]): Promise<void> {
  const endpoint = endpointOf(run);
  if (!endpoint) {
    for (const order of orders)
      await recordTransientFailure(run, order, `provider ${run.providerName} is not registered`);
    return;
  }
  const toPoll: OrderRow[] = [];
  const toCancel: OrderRow[] = [];
  const toSettle: OrderRow[] = [];
  for (const order of orders) {
    if (!isOpen(order.status)) {
      if (order.upstream_order_id) (order.upstream_state === CANCEL_SENT ? toSettle : toCancel).push(order);
    } else if (order.upstream_order_id) toPoll.push(order);
    else if (order.upstream_state !== null) await endInDoubt(run, order, 'a worker stopped during add');
    else if (order.status === 'Pending') await addOrder(run, order, endpoint);
    else if (isDripBetweenRuns(order)) await addOrder(run, order, endpoint);
    else await recordTransientFailure(run, order, 'order is in progress without an upstream order id');
  }
  for (const batch of chunks(toPoll, UPSTREAM_BATCH)) await pollOrders(run, batch, endpoint);
  for (const batch of chunks(toCancel, UPSTREAM_BATCH)) await forwardCancels(run, batch, endpoint);
  const settle = {
    ctx: run.ctx,
    provider: run.provider,
    pollMs: run.settings.pollMs,
    onFailure: (order: OrderRow, reason: string) => recordTransientFailure(run, order, reason),
  };
  for (const batch of chunks(toSettle, UPSTREAM_BATCH)) await settleCancelledOrders(settle, batch, endpoint);
}
