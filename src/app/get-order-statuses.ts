import { DomainError } from '../domain/errors.js';
import { hashApiKey } from './api-key-secrets.js';
import { type ApiCaller, callerOf } from './authenticate-api-key.js';
import type { AppContext } from './context.js';
import { parseOrderId } from './order-ids.js';

/**
 * The statuses of a batch, each contract §7's object as JSON text, worded for the caller's
 * profile (§13). Panels send plain ids, and then the answer's members come as the database
 * joined them, in ascending id order: a JSON object's members have no order of their own, and
 * this one is the same on both databases however the ids were asked, and lets PostgreSQL's
 * text be the answer as it is (api-reads.ts). Any id written otherwise (`007`, `x`) keys the
 * answer as it was sent, in the order sent.
 */
export type OrderStatusAnswers =
  /** `"<id>":<answer>` in ascending id order, joined by commas; `null` for an id not the caller's. */
  | { readonly caller: ApiCaller; readonly members: string }
  /** Each id as sent, with its answer, or undefined: malformed, unknown or another account's. */
  | { readonly caller: ApiCaller; readonly byText: ReadonlyMap<string, string | undefined> };

/**
 * contract §7 and §2: the status of each requested order (distinct texts, as splitOrderBatch
 * gives them) of an API key's account. The caller cannot tell a malformed, unknown or foreign
 * id apart. Read by the statement that also checks the key: a key revoked, an account suspended
 * or a profile changed on any node is seen by the very next request, even when no id is usable.
 */
export async function getOrderStatusesByKey(
  ctx: AppContext,
  options: { key: string | undefined; orderIds: readonly string[] },
): Promise<OrderStatusAnswers> {
  if (!options.key) throw new DomainError('unauthorized');
  const keyHash = hashApiKey(options.key);
  const parsed = options.orderIds.map(parseOrderId);
  const isPlain = parsed.every((id, index) => id !== undefined && String(id) === options.orderIds[index]);
  const ids = isPlain ? [...(parsed as number[])] : [...new Set(parsed.filter((id) => id !== undefined))];
  ids.sort((a, b) => a - b);
  const read = await ctx.apiReads.statusesByKey(keyHash, ids);
  const caller = callerOf(ctx, keyHash, read.account);
  if (isPlain) return { caller, members: read.members };
  // Rare (no panel writes ids so): the members are parsed back, each answer written again as
  // the same bytes (its values are texts with nothing to escape, its keys in their order).
  const byId = JSON.parse(`{${read.members}}`) as Record<string, unknown>;
  const byText = new Map<string, string | undefined>();
  options.orderIds.forEach((text, index) => {
    const answer = parsed[index] === undefined ? null : byId[String(parsed[index])];
    byText.set(text, answer ? JSON.stringify(answer) : undefined);
  });
  return { caller, byText };
}

/** contract §7: one order's status, or undefined when the id is not one of the caller's. */
export async function getOrderStatusByKey(
  ctx: AppContext,
  options: { key: string | undefined; orderId: string | undefined },
): Promise<{ caller: ApiCaller; answer: string | undefined }> {
  const orderIds = options.orderId === undefined ? [] : [options.orderId];
  const answers = await getOrderStatusesByKey(ctx, { key: options.key, orderIds });
  return { caller: answers.caller, answer: answerOf(answers, options.orderId ?? '') };
}

function answerOf(answers: OrderStatusAnswers, text: string): string | undefined {
  if ('byText' in answers) return answers.byText.get(text);
  const prefix = `"${text}":`;
  return answers.members.startsWith(prefix) && answers.members !== `${prefix}null`
    ? answers.members.slice(prefix.length)
    : undefined;
}
