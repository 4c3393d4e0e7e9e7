import { createHash } from 'node:crypto';
import { DomainError, isDomainError, type Refusal } from '../domain/errors.js';
import { type MassOrderLine, parseMassOrder } from '../domain/mass-order.js';
import { getBalanceUnits } from '../storage/accounts-repository.js';
import { findIdempotencyRecord, insertIdempotencyRecord } from '../storage/idempotency-repository.js';
import type { AppContext } from './context.js';
import { isUniqueViolation } from './database-errors.js';
import { placeOrder } from './place-order.js';
import { lineOptions } from './preview-mass-order.js';
import { priceOrder } from './preview-order.js';

export interface MassOrderResultLine {
  lineNumber: number;
  text: string;
  orderId?: number;
  chargeUnits?: number;
  refusal?: Refusal;
}

export interface MassOrderResult {
  lines: MassOrderResultLine[];
}

/** The confirmation's own key beside the per-line ones (`mass-TOKEN-LINE`) in the idempotency table. */
export function massResultKey(token: string): string {
  return `mass-${token}`;
}

function requestHash(text: string, expectedCharges: ReadonlyMap<number, number>): string {
  return createHash('sha256')
    .update(JSON.stringify([text, [...expectedCharges]]))
    .digest('hex');
}

/**
 * The stored result of a confirmation of this account's. Kept without a window, unlike an API
 * key's: a confirmation page reopened days later must not place its lines a second time.
 */
export async function findMassOrderResult(
  ctx: AppContext,
  options: { accountId: number; token: string },
): Promise<{ result: MassOrderResult; requestHash: string } | undefined> {
  const record = await findIdempotencyRecord(ctx.db, options.accountId, massResultKey(options.token));
  if (!record) return undefined;
  return { result: JSON.parse(record.response_json) as MassOrderResult, requestHash: record.request_hash };
}

/** A line the customer did not confirm a charge for: why it is not placed, as of now. */
async function unconfirmedLine(ctx: AppContext, accountId: number, line: MassOrderLine): Promise<Refusal> {
  if (line.malformed) return line.malformed;
  try {
    const priced = await priceOrder(ctx, lineOptions(accountId, line));
    // Priced but left out of the confirmed total: the balance did not reach it at the preview.
    const availableUnits = (await getBalanceUnits(ctx.db, accountId)) ?? 0;
    return { code: 'insufficient_balance', details: { requiredUnits: priced.chargeUnits, availableUnits } };
  } catch (error) {
    if (isDomainError(error)) return error.refusal;
    throw error;
  }
}

async function placeLine(
  ctx: AppContext,
  options: { accountId: number; token: string; line: MassOrderLine; expectedChargeUnits: number | undefined },
): Promise<MassOrderResultLine> {
  const { line, expectedChargeUnits } = options;
  const base = { lineNumber: line.lineNumber, text: line.text };
  if (expectedChargeUnits === undefined) {
    return { ...base, refusal: await unconfirmedLine(ctx, options.accountId, line) };
  }
  try {
    // Each line is an order of its own, with its own key: placed once however often confirmed.
    const placed = await placeOrder(ctx, {
      ...lineOptions(options.accountId, line),
      idempotencyKey: `${massResultKey(options.token)}-${line.lineNumber}`,
      expectedChargeUnits,
    });
    return { ...base, orderId: placed.orderId, chargeUnits: expectedChargeUnits };
  } catch (error) {
    if (isDomainError(error)) return { ...base, refusal: error.refusal };
    throw error;
  }
}

/**
 * Places the confirmed lines of a mass order one by one through place-order, each charged on
 * its own at the charge the customer confirmed. The result is stored under the confirmation's
 * token: the same confirmation submitted again places nothing more and gets the same result.
 */
export async function placeMassOrder(
  ctx: AppContext,
  options: { accountId: number; token: string; text: string; expectedCharges: ReadonlyMap<number, number> },
): Promise<{ result: MassOrderResult; wasAlreadyPlaced: boolean }> {
  const hash = requestHash(options.text, options.expectedCharges);
  const stored = await findMassOrderResult(ctx, options);
  if (stored) {
    if (stored.requestHash !== hash) throw new DomainError('idempotency_key_reused');
    return { result: stored.result, wasAlreadyPlaced: true };
  }
  const lines: MassOrderResultLine[] = [];
  for (const line of parseMassOrder(options.text)) {
    const expectedChargeUnits = options.expectedCharges.get(line.lineNumber);
    lines.push(await placeLine(ctx, { ...options, line, expectedChargeUnits }));
  }
  const result: MassOrderResult = { lines };
  try {
    await insertIdempotencyRecord(ctx.db, {
      accountId: options.accountId,
      key: massResultKey(options.token),
      requestHash: hash,
      responseJson: JSON.stringify(result),
      createdAt: ctx.clock.now(),
    });
  } catch (error) {
    // A twin submit finished first: its lines are these lines (the per-line keys), keep its record.
    if (!isUniqueViolation(error)) throw error;
  }
  return { result, wasAlreadyPlaced: false };
}
