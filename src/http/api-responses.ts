import type { CancelOutcome } from '../app/cancel-orders.js';
import type { OrderStatusView } from '../app/get-order-statuses.js';
import type { PricedService } from '../app/list-services.js';
import { formatUnits } from '../domain/money.js';
import { apiErrorText } from './api-errors.js';

/** The wire shapes of /api/v2 responses, field by field as contract §4, §7, §8 and §12 fix them. */

export function serviceToWire({ service, rateUnits }: PricedService) {
  return {
    service: service.id,
    name: service.name,
    type: service.type,
    category: service.category,
    rate: formatUnits(rateUnits),
    min: String(service.min_quantity),
    max: String(service.max_quantity),
    dripfeed: false,
    refill: false,
    cancel: service.can_cancel === 1,
    description: `Link type: ${service.link_type}`,
  };
}

export function statusToWire(view: OrderStatusView) {
  return {
    charge: formatUnits(view.chargeUnits),
    start_count: String(view.startCount),
    status: view.status,
    remains: String(view.remains),
    currency: 'EUR',
  };
}

export function cancelOutcomeToWire(outcome: CancelOutcome): 1 | string {
  if (outcome.ok) return 1;
  return apiErrorText(outcome.refusal);
}

export function balanceToWire(balanceUnits: number) {
  return { balance: formatUnits(balanceUnits), currency: 'EUR' };
}
