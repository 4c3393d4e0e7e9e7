import type { CancelOutcome } from '../app/cancel-orders.js';
import type { OrderStatusView } from '../app/get-order-statuses.js';
import type { PricedService } from '../app/list-services.js';
import { parseOrderId } from '../app/order-ids.js';
import { isDripfeedService } from '../app/place-order.js';
import type { ApiProfile } from '../domain/api-profile.js';
import { formatUnits } from '../domain/money.js';
import { ORDER_STATUSES } from '../domain/order-lifecycle.js';
import { apiErrorText } from './api-errors.js';

/**
 * The wire shapes of /api/v2 responses, field by field as contract §4, §7, §8 and §12 fix them,
 * and the few answers the `perfectpanel` profile words otherwise (§13).
 */

export function serviceToWire({ service, rateUnits }: PricedService) {
  const description = `Link type: ${service.link_type}`;
  return {
    service: service.id,
    name: service.name,
    type: service.type,
    category: service.category,
    rate: formatUnits(rateUnits),
    min: String(service.min_quantity),
    max: String(service.max_quantity),
    dripfeed: isDripfeedService(service),
    refill: false,
    cancel: service.can_cancel === 1,
    description,
    // contract §13: after §4's fields, for the panels that read these names.
    currency: 'EUR',
    desc: description,
  };
}

/**
 * contract §13: the `perfectpanel` profile has no `Error`; such an order is reported as what
 * its refund made it, `Canceled` when nothing was delivered (all was refunded), else `Partial`.
 */
function statusWord(view: OrderStatusView, profile: ApiProfile): string {
  if (profile !== 'perfectpanel' || view.status !== 'Error') return view.status;
  return view.remains >= view.quantity ? 'Canceled' : 'Partial';
}

export function statusToWire(view: OrderStatusView, profile: ApiProfile) {
  return {
    charge: formatUnits(view.chargeUnits),
    start_count: String(view.startCount),
    status: statusWord(view, profile),
    remains: String(view.remains),
    currency: 'EUR',
  };
}

/** contract §7 and §13: an unknown, foreign or malformed id in a batch `status`. */
export function unknownBatchOrderToWire(profile: ApiProfile): { error: string } {
  return { error: profile === 'perfectpanel' ? 'Incorrect order ID' : 'Order not found' };
}

/**
 * A JSON object keyed by ids as the client spelled them (contract §13: ids are data). Written
 * out by hand, so `__proto__` is an ordinary key and the keys keep the order they were given
 * in (a plain object would put `12346` after `12345`, and drop `__proto__`).
 */
export class IdKeyedAnswer {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}

  toJsonText(): string {
    const members = this.entries.map(([id, value]) => `${JSON.stringify(id)}:${JSON.stringify(value)}`);
    return `{${members.join(',')}}`;
  }
}

/**
 * contract §7: a batch `status` answer, written by a serializer made for its one shape (what
 * fast-json-stringify would compile from the schema of statusToWire, without the dependency):
 * the bytes JSON.stringify gives for the same answer (test/exact-json.test.ts), at a fraction of
 * its cost for a hundred orders. Ids are the client's text and the status word is escaped;
 * the other fields are decimal digits, a point and a sign by construction, nothing to escape.
 */
export class StatusBatchAnswer extends IdKeyedAnswer {
  constructor(
    private readonly views: ReadonlyMap<string, OrderStatusView | undefined>,
    private readonly profile: ApiProfile,
  ) {
    super([]);
  }

  override toJsonText(): string {
    const unknown = JSON.stringify(unknownBatchOrderToWire(this.profile));
    let text = '{';
    for (const [id, view] of this.views) {
      if (text.length > 1) text += ',';
      text += `${quotedId(id)}:${view ? statusJsonText(view, this.profile) : unknown}`;
    }
    return `${text}}`;
  }
}

/** An id as a JSON string: most are plain digits, which need no escaping. */
function quotedId(id: string): string {
  for (let index = 0; index < id.length; index += 1) {
    const code = id.charCodeAt(index);
    if (code < DIGIT_ZERO || code > DIGIT_NINE) return JSON.stringify(id);
  }
  return `"${id}"`;
}

const DIGIT_ZERO = 48;
const DIGIT_NINE = 57;

/** The status words quoted once, not on every order of every batch. */
const QUOTED_STATUS_WORDS: ReadonlyMap<string, string> = new Map(
  ORDER_STATUSES.map((word) => [word, JSON.stringify(word)]),
);

function statusJsonText(view: OrderStatusView, profile: ApiProfile): string {
  const word = statusWord(view, profile);
  return (
    `{"charge":"${formatUnits(view.chargeUnits)}","start_count":"${view.startCount}",` +
    `"status":${QUOTED_STATUS_WORDS.get(word) ?? JSON.stringify(word)},"remains":"${view.remains}","currency":"EUR"}`
  );
}

function cancelRefusalText(outcome: Exclude<CancelOutcome, { ok: true }>): string {
  return apiErrorText(outcome.refusal);
}

/**
 * contract §8 (`inspiria`): `{"12345": 1, "12346": "Cannot cancel: ..."}`; contract §13
 * (`perfectpanel`): `[{"order": 12345, "cancel": 1}, {"order": 12346, "cancel": {"error": ...}}]`,
 * in the order the ids were given. An id that is no integer is named as it was sent.
 */
export function cancelAnswerToWire(
  outcomes: ReadonlyMap<string, CancelOutcome>,
  profile: ApiProfile,
): IdKeyedAnswer | { order: number | string; cancel: 1 | { error: string } }[] {
  const entries = [...outcomes];
  if (profile === 'perfectpanel') {
    return entries.map(([id, outcome]) => ({
      order: parseOrderId(id) ?? id,
      cancel: outcome.ok ? 1 : { error: cancelRefusalText(outcome) },
    }));
  }
  return new IdKeyedAnswer(entries.map(([id, outcome]) => [id, outcome.ok ? 1 : cancelRefusalText(outcome)]));
}

export function balanceToWire(balanceUnits: number) {
  return { balance: formatUnits(balanceUnits), currency: 'EUR' };
}
