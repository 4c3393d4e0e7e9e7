import { createHash } from 'node:crypto';
import { splitComments } from '../domain/comments.js';
import { type DripPlan, decideDripPlan, plannedRuns } from '../domain/drip-feed.js';
import { DomainError } from '../domain/errors.js';
import { isLinkType, normaliseLink } from '../domain/link-types.js';
import { discountedRate, orderCharge } from '../domain/pricing.js';
import {
  deleteExpiredIdempotencyRecord,
  findIdempotencyRecord,
  insertIdempotencyRecord,
} from '../storage/idempotency-repository.js';
import { postLedgerEntry } from '../storage/ledger-repository.js';
import { insertOrderRuns } from '../storage/order-runs-repository.js';
import { insertOrder } from '../storage/orders-repository.js';
import type { Executor, ServiceRow } from '../storage/schema.js';
import { mailIfBalanceLow } from './balance-mails.js';
import type { AppContext } from './context.js';
import { isUniqueViolation } from './database-errors.js';
import { type NewOrder, orderBatch } from './place-order-batch.js';

export interface PlaceOrderOptions {
  accountId: number;
  /** undefined when missing or not an integer: both are "Invalid service". */
  serviceId: number | undefined;
  link: string | undefined;
  /** undefined when not sent, null when sent but not an integer. */
  quantity: number | null | undefined;
  comments: string | undefined;
  /** Drip-feed (contract §13), as `quantity`: undefined when not sent, null when not an integer. */
  runs?: number | null | undefined;
  intervalMinutes?: number | null | undefined;
  idempotencyKey?: string | undefined;
  /**
   * The charge the customer confirmed (the web's confirmation page). The tier may change at the
   * top of the hour between showing and placing: then nothing is placed, and the caller shows
   * the new charge instead of taking a different amount than the one confirmed.
   */
  expectedChargeUnits?: number | undefined;
}

export interface PlacedOrder {
  orderId: number;
}

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ValidOrder {
  service: ServiceRow;
  link: string;
  /** Per run for a drip-feed order; the whole order is `quantity × runs`. */
  quantity: number;
  comments: string | null;
  drip: DripPlan | undefined;
}

/** contract §13: a drip-feed order is `runs × quantity` units, all charged at once. */
export const totalQuantityOf = (order: ValidOrder): number => order.quantity * (order.drip?.runs ?? 1);

/** Whether `add` takes runs and interval for this service (contract §13). */
export const isDripfeedService = (service: ServiceRow): boolean =>
  service.is_dripfeed === 1 && service.type === 'Default';

/** contract §13: after §6's checks, the drip-feed ones; nothing is placed on a refusal. */
function validateDrip(service: ServiceRow, options: PlaceOrderOptions): DripPlan | undefined {
  const decision = decideDripPlan(isDripfeedService(service), options.runs, options.intervalMinutes);
  if (decision.ok) return decision.plan;
  const { refusal } = decision;
  if (refusal.code === 'dripfeed_not_supported') throw new DomainError(refusal.code);
  throw new DomainError(refusal.code, refusal.details);
}

/** contract §6: the checks in their order, the first failure answered. */
export function validateOrder(service: ServiceRow | undefined, options: PlaceOrderOptions): ValidOrder {
  if (service?.is_active !== 1) throw new DomainError('invalid_service');
  if (!isLinkType(service.link_type)) throw new DomainError('invalid_service');
  const link = options.link === undefined ? undefined : normaliseLink(service.link_type, options.link);
  if (link === undefined) throw new DomainError('invalid_link', { linkType: service.link_type });
  const range = { min: service.min_quantity, max: service.max_quantity };
  if (service.type === 'Custom Comments') {
    const comments = splitComments(options.comments ?? '');
    if (comments.length < range.min || comments.length > range.max) {
      throw new DomainError('quantity_out_of_range', range);
    }
    if (options.quantity !== undefined && options.quantity !== comments.length) {
      throw new DomainError('quantity_mismatch', { count: comments.length });
    }
    const drip = validateDrip(service, options);
    return { service, link, quantity: comments.length, comments: comments.join('\n'), drip };
  }
  const quantity = options.quantity;
  if (quantity === undefined || quantity === null || quantity < range.min || quantity > range.max) {
    throw new DomainError('quantity_out_of_range', range);
  }
  return { service, link, quantity, comments: null, drip: validateDrip(service, options) };
}

function requestHash(options: PlaceOrderOptions): string {
  const { serviceId, link, quantity, comments, runs, intervalMinutes } = options;
  // Drip-feed fields only when sent, so keys recorded before drip-feed keep their hash.
  const drip = runs === undefined && intervalMinutes === undefined ? [] : [runs, intervalMinutes];
  return createHash('sha256')
    .update(JSON.stringify([serviceId, link, quantity, comments, ...drip]))
    .digest('hex');
}

async function replayIdempotent(
  ctx: AppContext,
  options: PlaceOrderOptions,
): Promise<PlacedOrder | undefined> {
  if (!options.idempotencyKey) return undefined;
  const record = await findIdempotencyRecord(ctx.db, options.accountId, options.idempotencyKey);
  if (!record) return undefined;
  if (ctx.clock.now() - record.created_at >= IDEMPOTENCY_WINDOW_MS) return undefined;
  if (record.request_hash !== requestHash(options)) throw new DomainError('idempotency_key_reused');
  return JSON.parse(record.response_json) as PlacedOrder;
}

/**
 * Records the key's answer before the debit, so that requests sharing the key are serialised on
 * it rather than on the balance: on PostgreSQL a duplicate's insert waits on the unique key until
 * this transaction ends, on SQLite (one writer; group commit runs its jobs one after another) it
 * meets the committed or released row at once. The duplicate then fails with a unique violation
 * before its own debit and replays this answer (placeOrder), however little balance is left.
 * Nothing may be written before this insert but the order row, which locks nothing a duplicate
 * needs, so a duplicate never holds a lock that the first request waits for.
 */
async function claimIdempotencyKey(
  trx: Executor,
  options: PlaceOrderOptions,
  placed: PlacedOrder,
  nowMs: number,
): Promise<void> {
  if (!options.idempotencyKey) return;
  await deleteExpiredIdempotencyRecord(
    trx,
    options.accountId,
    options.idempotencyKey,
    nowMs - IDEMPOTENCY_WINDOW_MS,
  );
  await insertIdempotencyRecord(trx, {
    accountId: options.accountId,
    key: options.idempotencyKey,
    requestHash: requestHash(options),
    responseJson: JSON.stringify(placed),
    createdAt: nowMs,
  });
}

/**
 * An order we deliver ourselves costs what its service says per 1,000 units: the rate is kept
 * on the order, so a later change of the service's cost leaves placed orders as they were.
 * An upstream order's cost is what the upstream charges (src/engine/backends/upstream.ts).
 */
function operatorCostFields(service: ServiceRow) {
  if (service.cost_per_1000_units === null || service.backend.startsWith('upstream:')) return {};
  return { cost_per_1000_units: service.cost_per_1000_units, cost_units: 0 };
}

/** One order in its own savepoint: the path of an order with an idempotency key or drip-feed runs. */
async function storeOrder(
  trx: Executor,
  options: PlaceOrderOptions,
  row: NewOrder,
  order: ValidOrder,
): Promise<PlacedOrder> {
  const nowMs = row.created_at;
  const chargeUnits = row.charge_units;
  const orderId = await insertOrder(trx, row);
  const placed = { orderId };
  await claimIdempotencyKey(trx, options, placed, nowMs);
  // The debit and the order commit together or not at all (contract §6).
  const debit = await postLedgerEntry(trx, {
    accountId: options.accountId,
    kind: 'charge',
    amountUnits: -chargeUnits,
    orderId,
    createdAt: nowMs,
  });
  if (!debit.isApplied) {
    // The balance this transaction refused against, not a later read (issue 8).
    throw new DomainError('insufficient_balance', {
      requiredUnits: chargeUnits,
      availableUnits: debit.balanceUnits,
    });
  }
  if (order.drip) await insertOrderRuns(trx, orderId, plannedRuns(order.drip, order.quantity, nowMs));
  await mailIfBalanceLow(trx, options.accountId, nowMs);
  return placed;
}

async function createOrder(ctx: AppContext, options: PlaceOrderOptions): Promise<PlacedOrder> {
  const nowMs = ctx.clock.now();
  const service =
    options.serviceId === undefined ? undefined : await ctx.apiReads.serviceById(options.serviceId);
  const order = validateOrder(service, options);
  const standing = await ctx.discounts.standing(ctx.db, options.accountId, nowMs);
  const totalQuantity = totalQuantityOf(order);
  const chargeUnits = orderCharge(discountedRate(order.service.rate_units, standing.tier), totalQuantity);
  if (options.expectedChargeUnits !== undefined && options.expectedChargeUnits !== chargeUnits) {
    throw new DomainError('charge_changed', { chargeUnits, expectedUnits: options.expectedChargeUnits });
  }
  const row: NewOrder = {
    account_id: options.accountId,
    service_id: order.service.id,
    link: order.link,
    quantity: totalQuantity,
    comments: order.comments,
    charge_units: chargeUnits,
    status: 'Pending',
    remains: totalQuantity,
    runs: order.drip?.runs ?? null,
    interval_minutes: order.drip?.intervalMinutes ?? null,
    created_at: nowMs,
    updated_at: nowMs,
    cost_per_1000_units: null,
    cost_units: null,
    ...operatorCostFields(order.service),
  };
  // The orders of one account that arrive together share one transaction and its commit; the
  // plain ones (most of them) are stored together with a few statements for the whole batch.
  const store = (trx: Executor) => storeOrder(trx, options, row, order);
  if (options.idempotencyKey || order.drip) return ctx.groupCommit.run(store, options.accountId);
  return ctx.groupCommit.runBulk(orderBatch, row, store, options.accountId);
}

export async function placeOrder(ctx: AppContext, options: PlaceOrderOptions): Promise<PlacedOrder> {
  const replayed = await replayIdempotent(ctx, options);
  if (replayed) return replayed;
  try {
    const placed = await createOrder(ctx, options);
    // Committed: the new order is due at once, so this process's worker need not wait its poll.
    ctx.newWork.notify();
    return placed;
  } catch (error) {
    // Two requests with one idempotency key raced (claimIdempotencyKey): the loser's
    // transaction rolled back whole, and the winner's answer is now there to replay.
    // Only an order is ever recorded under a key. Contract §6 promises a retry the first
    // response "and creates nothing": a refusal created nothing and is not stored, so a retry
    // after one is evaluated afresh, the way its first attempt was (the same refusal while
    // nothing changed, an order once the customer has topped up).
    if (options.idempotencyKey && isUniqueViolation(error)) {
      const winner = await replayIdempotent(ctx, options);
      if (winner) return winner;
    }
    throw error;
  }
}
