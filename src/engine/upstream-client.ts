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

export interface UpstreamFailure {
  readonly kind: FailureKind;
  readonly message: string;
}

export type UpstreamResult<T> = { ok: true; value: T } | { ok: false; failure: UpstreamFailure };

export interface UpstreamEndpoint {
  readonly url: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
}

const MAX_REPLY_BYTES = 1024 * 1024;

/** Upstream text may echo our key back ("Invalid key abc..."): it never reaches a log line. */
export function redactKey(text: string, apiKey: string): string {
  return apiKey === '' ? text : text.split(apiKey).join('[key]');
}

const fail = (kind: FailureKind, message: string): { ok: false; failure: UpstreamFailure } => ({
  ok: false,
  failure: { kind, message },
});

function networkFailure(error: unknown): { ok: false; failure: UpstreamFailure } {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return fail('ambiguous', 'timed out');
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const code = cause?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) {
    return fail('unreachable', `unreachable (${code})`);
  }
  return fail('ambiguous', `network error${code ? ` (${code})` : ''}`);
}

/** One POST; a JSON object or array back, or a failure. */
export async function callUpstream(
  endpoint: UpstreamEndpoint,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<UpstreamResult<unknown>> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...headers,
      },
      body: new URLSearchParams({ key: endpoint.apiKey, ...params }).toString(),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    return networkFailure(error);
  }
  if (text.length > MAX_REPLY_BYTES) return fail('ambiguous', 'reply too large');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail('ambiguous', `HTTP ${response.status}, not JSON`);
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'error' in body) {
    const message = redactKey(String((body as { error: unknown }).error), endpoint.apiKey).slice(0, 200);
    // A 200 with {"error"} is a refusal, as the API page says; other codes prove nothing.
    return fail(response.status === 200 ? 'rejected' : 'ambiguous', `HTTP ${response.status}: ${message}`);
  }
  if (!response.ok) return fail('ambiguous', `HTTP ${response.status}`);
  if (body === null || typeof body !== 'object') return fail('ambiguous', 'reply is not an object');
  return { ok: true, value: body };
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
  if (id === undefined || id === 0) return fail('ambiguous', 'add reply has no order id');
  return { ok: true, value: String(id) };
}

/** Batch `status` (at most 100 ids): each id's raw entry, still to be checked by the caller. */
export async function fetchUpstreamStatuses(
  endpoint: UpstreamEndpoint,
  upstreamIds: string[],
): Promise<UpstreamResult<Map<string, unknown>>> {
  const reply = await callUpstream(endpoint, { action: 'status', orders: upstreamIds.join(',') });
  if (!reply.ok) return reply;
  if (Array.isArray(reply.value)) return fail('ambiguous', 'status reply is an array');
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
    return fail('ambiguous', 'balance reply has no valid balance');
  }
  const currencyText = typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency : '?';
  return { ok: true, value: { balance: balanceText, currency: currencyText.toUpperCase() } };
}

export async function fetchUpstreamServices(endpoint: UpstreamEndpoint): Promise<UpstreamResult<unknown[]>> {
  const reply = await callUpstream(endpoint, { action: 'services' });
  if (!reply.ok) return reply;
  if (!Array.isArray(reply.value)) return fail('ambiguous', 'services reply is not an array');
  return { ok: true, value: reply.value };
}
