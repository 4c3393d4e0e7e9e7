import { DomainError } from '../domain/errors.js';
import { discountedRate, orderCharge } from '../domain/pricing.js';
import { getBalanceUnits } from '../storage/accounts-repository.js';
import { findService } from '../storage/services-repository.js';
import type { AppContext } from './context.js';
import { type PlaceOrderOptions, totalQuantityOf, type ValidOrder, validateOrder } from './place-order.js';

export interface OrderPreview extends ValidOrder {
  /** The whole order: `quantity × runs` for drip-feed. */
  totalQuantity: number;
  rateUnits: number;
  chargeUnits: number;
  balanceUnits: number;
}

export type PricedOrder = Omit<OrderPreview, 'balanceUnits'>;

/** The order's checks and its charge at the caller's tier, without the balance (a mass order sums first). */
export async function priceOrder(ctx: AppContext, options: PlaceOrderOptions): Promise<PricedOrder> {
  const service = options.serviceId === undefined ? undefined : await findService(ctx.db, options.serviceId);
  const order = validateOrder(service, options);
  const standing = await ctx.discounts.standing(ctx.db, options.accountId, ctx.clock.now());
  const rateUnits = discountedRate(order.service.rate_units, standing.tier);
  const totalQuantity = totalQuantityOf(order);
  return { ...order, totalQuantity, rateUnits, chargeUnits: orderCharge(rateUnits, totalQuantity) };
}

/**
 * The exact charge of an order before it is placed: the same checks, in the same order, as
 * place-order (so the same errors), and the same price. Nothing is written.
 */
export async function previewOrder(ctx: AppContext, options: PlaceOrderOptions): Promise<OrderPreview> {
  const { rateUnits, chargeUnits, totalQuantity, ...order } = await priceOrder(ctx, options);
  const balanceUnits = (await getBalanceUnits(ctx.db, options.accountId)) ?? 0;
  if (balanceUnits < chargeUnits) {
    throw new DomainError('insufficient_balance', {
      requiredUnits: chargeUnits,
      availableUnits: balanceUnits,
    });
  }
  return { ...order, totalQuantity, rateUnits, chargeUnits, balanceUnits };
}
