import { DomainError } from '../domain/errors.js';
import { hashApiKey } from './api-key-secrets.js';
import { type ApiCaller, callerOf } from './authenticate-api-key.js';
import type { AppContext } from './context.js';
import { type OrderBatch, parseOrderId } from './order-ids.js';

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
 * contract §7 and §2: the status of each requested order of an API key's account. The caller
 * cannot tell a malformed, unknown or foreign id apart. Read by the statement that also checks
 * the key: a key revoked, an account suspended or a profile changed on any node is seen by the
 * very next request, even when no id is usable.
 */
export async function getOrderStatusesByKey(
  ctx: AppContext,
  options: { key: string | undefined; orders: OrderBatch },
): Promise<OrderStatusAnswers> {
  if (!options.key) throw new DomainError('unauthorized');
  const keyHash = hashApiKey(options.key);
  const { orders } = options;
  if ('plainIds' in orders) return readStatuses(ctx, keyHash, orders.plainIds);
  const { texts } = orders;
  const parsed = texts.map(parseOrderId);
  if (parsed.every((id, index) => id !== undefined && String(id) === texts[index]))
    return readStatuses(ctx, keyHash, parsed as number[]);
  // Rare (no panel writes ids so): the members are parsed back, each answer written again as
  // the same bytes (its values are texts with nothing to escape, its keys in their order).
  const read = await readStatuses(ctx, keyHash, [...new Set(parsed.filter((id) => id !== undefined))]);
  const byId = JSON.parse(`{${read.members}}`) as Record<string, unknown>;
  const byText = new Map<string, string | undefined>();
  texts.forEach((text, index) => {
    const answer = parsed[index] === undefined ? null : byId[String(parsed[index])];
    byText.set(text, answer ? JSON.stringify(answer) : undefined);
  });
  return { caller: read.caller, byText };
}

/** The members of distinct ids' answers, as the database joined them. */
async function readStatuses(
  ctx: AppContext,
  keyHash: string,
  ids: readonly number[],
): Promise<{ caller: ApiCaller; members: string }> {
  const read = await ctx.apiReads.statusesByKey(keyHash, ascending(ids));
  return { caller: callerOf(ctx, keyHash, read.account), members: read.members };
}

/** The ids in ascending order: as they are when a panel sent them so, else a sorted copy. */
function ascending(ids: readonly number[]): readonly number[] {
  for (let index = 1; index < ids.length; index += 1)
    if ((ids[index] as number) <= (ids[index - 1] as number)) return [...ids].sort((a, b) => a - b);
  return ids;
}

/** contract §7: one order's status, or undefined when the id is not one of the caller's. */
export async function getOrderStatusByKey(
  ctx: AppContext,
  options: { key: string | undefined; orderId: string | undefined },
): Promise<{ caller: ApiCaller; answer: string | undefined }> {
  const texts = options.orderId === undefined ? [] : [options.orderId];
  const answers = await getOrderStatusesByKey(ctx, { key: options.key, orders: { texts } });
  return { caller: answers.caller, answer: answerOf(answers, options.orderId ?? '') };
}

function answerOf(answers: OrderStatusAnswers, text: string): string | undefined {
  if ('byText' in answers) return answers.byText.get(text);
  const prefix = `"${text}":`;
  return answers.members.startsWith(prefix) && answers.members !== `${prefix}null`
    ? answers.members.slice(prefix.length)
    : undefined;
}
