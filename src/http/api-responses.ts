import type { CancelOutcome } from '../app/cancel-orders.js';
import type { OrderStatusAnswers } from '../app/get-order-statuses.js';
import type { PricedService } from '../app/list-services.js';
import { parseOrderId } from '../app/order-ids.js';
import { isDripfeedService } from '../app/place-order.js';
import type { ApiProfile } from '../domain/api-profile.js';
import { isAllAsciiDigits } from '../domain/ascii-digits.js';
import { formatUnits } from '../domain/money.js';
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

/** contract §7 and §13: an unknown, foreign or malformed id in a batch `status`. */
export function unknownBatchOrderToWire(profile: ApiProfile): { error: string } {
  return { error: profile === 'perfectpanel' ? 'Incorrect order ID' : 'Order not found' };
}

/** An answer already written as JSON text: sent as it is, not serialized again. */
export abstract class JsonTextAnswer {
  abstract toJsonText(): string;
}

/** contract §7: one order's `status`, the text the database keeps for it (api-reads.ts). */
export class StatusAnswer extends JsonTextAnswer {
  constructor(private readonly text: string) {
    super();
  }

  toJsonText(): string {
    return this.text;
  }
}

/**
 * A JSON object keyed by ids as the client spelled them (contract §13: ids are data). Written
 * out by hand, so `__proto__` is an ordinary key and the keys keep the order they were given
 * in (a plain object would put `12346` after `12345`, and drop `__proto__`).
 */
export class IdKeyedAnswer extends JsonTextAnswer {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {
    super();
  }

  toJsonText(): string {
    const members = this.entries.map(([id, value]) => `${JSON.stringify(id)}:${JSON.stringify(value)}`);
    return `{${members.join(',')}}`;
  }
}

/**
 * contract §7: a batch `status` answer, each known order's text as the database keeps it
 * (api-reads.ts), each other id answered as §7 and §13 say: the bytes JSON.stringify would
 * give for the same answer, without parsing and writing a hundred objects again.
 */
export class StatusBatchAnswer extends JsonTextAnswer {
  constructor(
    private readonly answers: OrderStatusAnswers,
    private readonly profile: ApiProfile,
  ) {
    super();
  }

  toJsonText(): string {
    const unknown = JSON.stringify(unknownBatchOrderToWire(this.profile));
    if ('members' in this.answers) {
      // Every key is plain digits and every answer an object: `:null` is only ever a member's value.
      const { members } = this.answers;
      return `{${members.includes(':null') ? members.replaceAll(':null', `:${unknown}`) : members}}`;
    }
    let text = '{';
    for (const [id, answer] of this.answers.byText) {
      if (text.length > 1) text += ',';
      text += `${quotedId(id)}:${answer ?? unknown}`;
    }
    return `${text}}`;
  }
}

/** An id as a JSON string: most are plain digits, which need no escaping. */
function quotedId(id: string): string {
  return isAllAsciiDigits(id) ? `"${id}"` : JSON.stringify(id);
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
