import { isDomainError, type Refusal } from '../domain/errors.js';
import { fitToBalance, type MassOrderLine, parseMassOrder } from '../domain/mass-order.js';
import { getBalanceUnits } from '../storage/accounts-repository.js';
import type { AppContext } from './context.js';
import type { PlaceOrderOptions } from './place-order.js';
import { type PricedOrder, priceOrder } from './preview-order.js';

export type MassPreviewLine =
  | { line: MassOrderLine; ok: true; order: PricedOrder }
  | { line: MassOrderLine; ok: false; refusal: Refusal };

export interface MassOrderPreview {
  lines: MassPreviewLine[];
  /** What placing the lines that can be placed will debit, in total. */
  totalUnits: number;
  balanceUnits: number;
}

/** A mass order's line read exactly as the order form reads `add` (contract §1 and §6). */
export function lineOptions(accountId: number, line: MassOrderLine): PlaceOrderOptions {
  return {
    accountId,
    serviceId: line.serviceId,
    link: line.link,
    quantity: line.quantity,
    comments: undefined,
  };
}

async function priceLine(ctx: AppContext, accountId: number, line: MassOrderLine): Promise<MassPreviewLine> {
  if (line.malformed) return { line, ok: false, refusal: line.malformed };
  try {
    return { line, ok: true, order: await priceOrder(ctx, lineOptions(accountId, line)) };
  } catch (error) {
    if (isDomainError(error)) return { line, ok: false, refusal: error.refusal };
    throw error;
  }
}

/**
 * Each line checked and priced on its own, then the balance applied in line order, as placing
 * them one by one will: a line the balance left by the ones before cannot pay is refused here
 * already. Nothing is written. Throws `mass_order_empty` or `too_many_orders` for the text.
 */
export async function previewMassOrder(
  ctx: AppContext,
  options: { accountId: number; text: string },
): Promise<MassOrderPreview> {
  const parsed = parseMassOrder(options.text);
  const priced: MassPreviewLine[] = [];
  for (const line of parsed) priced.push(await priceLine(ctx, options.accountId, line));
  const balanceUnits = (await getBalanceUnits(ctx.db, options.accountId)) ?? 0;
  const valid = priced.filter((p) => p.ok);
  const { fits, leftUnits, totalUnits } = fitToBalance(
    valid.map((p) => p.order.chargeUnits),
    balanceUnits,
  );
  const lines = priced.map((p): MassPreviewLine => {
    if (!p.ok) return p;
    const index = valid.indexOf(p);
    if (fits[index]) return p;
    const refusal: Refusal = {
      code: 'insufficient_balance',
      details: { requiredUnits: p.order.chargeUnits, availableUnits: leftUnits[index] ?? 0 },
    };
    return { line: p.line, ok: false, refusal };
  });
  return { lines, totalUnits, balanceUnits };
}
