import type { ProviderFailureReason } from '../domain/errors.js';
import { upstreamCallDuration, upstreamCalls } from '../observability/metrics.js';
import type { ProviderNetwork } from './provider-address.js';
import { postForm, type TransportFailure } from './upstream-http.js';

/**
 * A client for another panel's API v2. Replies are untrusted: every field is checked, and a
 * failure says whether the request may have had an effect upstream, which decides whether it
 * is safe to send again. The API key goes in the body only and never into an error message.
 */
export type FailureKind =
  /** The upstream answered {"error": ...}: it did nothing. */
  | 'rejected'
  /** The request never reached it (connection refused, unknown host). */
  | 'unreachable'
  /** Timeout, HTTP error, HTML, malformed JSON: it may or may not have acted. */
  | 'ambiguous';

/**
 * What went wrong, for people. The admin page shows a fixed sentence for each reason, never
 * the upstream's own text or status, so the page cannot be used to read what an address says.
 */
/**
 * Why a call failed (the domain's list, so refusals can name it): rejected ({"error"}),
 * unreachable (no or broken connection), timeout, not_api_v2 (HTTP error, redirect, HTML,
 * malformed JSON), forbidden_address (loopback or another internal network), too_large (over
 * MAX_REPLY_BYTES, cut off there).
 */
export type FailureReason = ProviderFailureReason;

export interface UpstreamFailure {
  readonly kind: FailureKind;
  readonly reason: FailureReason;
  /** For logs and the operator's CLI: may quote the upstream (with our key redacted). */
  readonly message: string;
}

export type UpstreamResult<T> = { ok: true; value: T } | { ok: false; failure: UpstreamFailure };

export interface UpstreamEndpoint {
  readonly url: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly network: ProviderNetwork;
}

export const MAX_REPLY_BYTES = 1024 * 1024;

/** Upstream text may echo our key back ("Invalid key abc..."): it never reaches a log line. */
export function redactKey(text: string, apiKey: string): string {
  return apiKey === '' ? text : text.split(apiKey).join('[key]');
}

const fail = (
  kind: FailureKind,
  reason: FailureReason,
  message: string,
): { ok: false; failure: UpstreamFailure } => ({ ok: false, failure: { kind, reason, message } });

const badReply = (message: string) => fail('ambiguous', 'not_api_v2', message);

const NEVER_CONNECTED = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

function transportFailure(failure: TransportFailure): { ok: false; failure: UpstreamFailure } {
  switch (failure.reason) {
    case 'forbidden_address':
      // Refused before anything was sent: as safe to retry as an unreachable host.
      return fail('unreachable', 'forbidden_address', 'address not allowed for providers');
    case 'timeout':
      return fail('ambiguous', 'timeout', 'timed out');
    case 'too_large':
      return fail('ambiguous', 'too_large', `reply larger than ${MAX_REPLY_BYTES} bytes`);
    case 'network':
      if (NEVER_CONNECTED.includes(failure.code)) {
        return fail('unreachable', 'unreachable', `unreachable (${failure.code})`);
      }
      return fail('ambiguous', 'unreachable', `network error${failure.code ? ` (${failure.code})` : ''}`);
  }
}

/** One POST; a JSON object or array back, or a failure. Counted and timed in /metrics. */
export async function callUpstream(
  endpoint: UpstreamEndpoint,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<UpstreamResult<unknown>> {
  const startedMs = performance.now();
  const result = await callUpstreamUnmeasured(endpoint, params, headers);
  recordUpstreamCall({
    url: endpoint.url,
    action: params.action ?? '',
    outcome: result.ok ? 'ok' : result.failure.reason,
    seconds: (performance.now() - startedMs) / 1000,
  });
  return result;
}

async function callUpstreamUnmeasured(
  endpoint: UpstreamEndpoint,
  params: Record<string, string>,
  headers: Record<string, string>,
): Promise<UpstreamResult<unknown>> {
  const reply = await postForm({
    url: endpoint.url,
    body: new URLSearchParams({ key: endpoint.apiKey, ...params }).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...headers,
    },
    timeoutMs: endpoint.timeoutMs,
    maxBytes: MAX_REPLY_BYTES,
    network: endpoint.network,
  });
  if (!reply.ok) return transportFailure(reply.failure);
  const { status, text } = reply;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return badReply(`HTTP ${status}, not JSON`);
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'error' in body) {
    const message = redactKey(String((body as { error: unknown }).error), endpoint.apiKey).slice(0, 200);
    // A 200 with {"error"} is a refusal, as the API page says; other codes prove nothing.
    if (status === 200) return fail('rejected', 'rejected', `HTTP 200: ${message}`);
    return badReply(`HTTP ${status}: ${message}`);
  }
  if (status < 200 || status > 299) return badReply(`HTTP ${status}`);
  if (body === null || typeof body !== 'object') return badReply('reply is not an object');
  return { ok: true, value: body };
}

/** The provider is labelled by its host: one series per provider, never a key or a path. */
function recordUpstreamCall(call: { url: string; action: string; outcome: string; seconds: number }): void {
  let provider = 'invalid';
  try {
    provider = new URL(call.url).host;
  } catch {}
  upstreamCalls.inc({ provider, action: call.action, outcome: call.outcome });
  upstreamCallDuration.observe({ provider, action: call.action }, call.seconds);
}

/** A whole number of units: a safe non-negative integer, as a number or a string of digits. */
export function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** `add`: the upstream order id, as a string of digits. */
export async function addUpstreamOrder(
  endpoint: UpstreamEndpoint,
  order: { service: string; link: string; quantity: number; comments: string | null; idempotencyKey: string },
): Promise<UpstreamResult<string>> {
  const params: Record<string, string> = {
    action: 'add',
    service: order.service,
    link: order.link,
    quantity: String(order.quantity),
  };
  if (order.comments !== null) params.comments = order.comments;
  const reply = await callUpstream(endpoint, params, { 'Idempotency-Key': order.idempotencyKey });
  if (!reply.ok) return reply;
  const id = wholeNumber((reply.value as { order?: unknown }).order);
  if (id === undefined || id === 0) return badReply('add reply has no order id');
  return { ok: true, value: String(id) };
}

/** Batch `status` (at most 100 ids): each id's raw entry, still to be checked by the caller. */
export async function fetchUpstreamStatuses(
  endpoint: UpstreamEndpoint,
  upstreamIds: string[],
): Promise<UpstreamResult<Map<string, unknown>>> {
  const reply = await callUpstream(endpoint, { action: 'status', orders: upstreamIds.join(',') });
  if (!reply.ok) return reply;
  if (Array.isArray(reply.value)) return badReply('status reply is an array');
  const entries = new Map<string, unknown>();
  for (const id of upstreamIds) entries.set(id, (reply.value as Record<string, unknown>)[id]);
  return { ok: true, value: entries };
}

/** Batch `cancel`: only whether the upstream answered; each entry is its own business. */
export async function cancelUpstreamOrders(
  endpoint: UpstreamEndpoint,
  upstreamIds: string[],
): Promise<UpstreamResult<unknown>> {
  return callUpstream(endpoint, { action: 'cancel', orders: upstreamIds.join(',') });
}

export async function fetchUpstreamBalance(
  endpoint: UpstreamEndpoint,
): Promise<UpstreamResult<{ balance: string; currency: string }>> {
  const reply = await callUpstream(endpoint, { action: 'balance' });
  if (!reply.ok) return reply;
  const { balance, currency } = reply.value as { balance?: unknown; currency?: unknown };
  const balanceText = typeof balance === 'number' ? String(balance) : balance;
  if (typeof balanceText !== 'string' || !/^-?\d{1,15}(\.\d{1,8})?$/.test(balanceText)) {
    return badReply('balance reply has no valid balance');
  }
  const currencyText = typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency : '?';
  return { ok: true, value: { balance: balanceText, currency: currencyText.toUpperCase() } };
}

export async function fetchUpstreamServices(endpoint: UpstreamEndpoint): Promise<UpstreamResult<unknown[]>> {
  const reply = await callUpstream(endpoint, { action: 'services' });
  if (!reply.ok) return reply;
  if (!Array.isArray(reply.value)) return badReply('services reply is not an array');
  return { ok: true, value: reply.value };
}
