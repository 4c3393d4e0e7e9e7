import type { DeliveryReport } from '../domain/delivery-report.js';
import { wholeNumber } from './upstream-client.js';

export type ParsedStatus = { ok: true; report: DeliveryReport } | { ok: false; reason: string };

type Ending = 'completed' | 'abandoned' | 'failed' | undefined;

/** Upstream status words, lower case, to what they mean for our order. Unknown words are malformed. */
const WORDS: Readonly<Record<string, 'wait' | 'running' | Exclude<Ending, undefined>>> = {
  pending: 'wait',
  'in progress': 'running',
  inprogress: 'running',
  processing: 'running',
  completed: 'completed',
  complete: 'completed',
  // contract §9: delivery given up upstream (content gone) is the five-failures case.
  partial: 'abandoned',
  // The provider dropped the order itself: a failure on our side of the customer's view.
  canceled: 'failed',
  cancelled: 'failed',
  refunded: 'failed',
  error: 'failed',
  failed: 'failed',
};

function optionalCount(value: unknown): number | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  return wholeNumber(value);
}

/**
 * Checks one entry of an upstream `status` reply against our order and says what it reports.
 * Anything hostile (remains outside 0..quantity, non-numeric fields, an {"error"} entry, an
 * unknown word) is refused, so it can only ever be retried, never paid out.
 */
export function parseUpstreamStatus(
  entry: unknown,
  order: { quantity: number; remains: number },
): ParsedStatus {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    return { ok: false, reason: 'no status entry for the order' };
  }
  const fields = entry as Record<string, unknown>;
  if ('error' in fields)
    return { ok: false, reason: `upstream error: ${String(fields.error).slice(0, 100)}` };
  const word = typeof fields.status === 'string' ? WORDS[fields.status.trim().toLowerCase()] : undefined;
  if (word === undefined)
    return { ok: false, reason: `unknown status ${JSON.stringify(fields.status)?.slice(0, 50)}` };
  const remains = optionalCount(fields.remains);
  const startCount = optionalCount(fields.start_count);
  if (remains === undefined || (remains !== null && remains > order.quantity)) {
    return { ok: false, reason: `remains out of range: ${JSON.stringify(fields.remains)?.slice(0, 50)}` };
  }
  if (startCount === undefined) return { ok: false, reason: 'start_count is not a whole number' };
  if (word === 'wait') return { ok: true, report: { kind: 'wait' } };
  if (remains === null && word === 'running') return { ok: false, reason: 'remains missing' };
  const report: DeliveryReport = {
    kind: 'progress',
    remains: remains ?? order.remains,
    ...(startCount === null ? {} : { startCount }),
    ...(word === 'running' ? {} : { ending: word }),
  };
  return { ok: true, report };
}
