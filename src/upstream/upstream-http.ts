import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { bareHost, guardedLookup, isForbiddenAddress, type ProviderNetwork } from './provider-address.js';

/** Why a POST got no complete reply. */
export type TransportFailure =
  /** The URL leads to an address providers may not use: nothing was sent. */
  | { reason: 'forbidden_address' }
  | { reason: 'timeout' }
  /** More than `maxBytes` came back: the request was cut off there. */
  | { reason: 'too_large' }
  /** A socket error, with Node's code (ECONNREFUSED, ENOTFOUND, ECONNRESET...). */
  | { reason: 'network'; code: string };

export type TransportResult =
  | { ok: true; status: number; text: string }
  | { ok: false; failure: TransportFailure };

export interface FormPost {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly network: ProviderNetwork;
}

/** A URL the transport will not connect to: not http(s), credentials, or a forbidden literal IP. */
function isRefusedUrl(url: URL, network: ProviderNetwork): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return true;
  if (url.username || url.password) return true;
  const host = bareHost(url);
  return !network.allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host);
}

function failureOf(error: unknown): TransportFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EPROVIDERFORBIDDEN') return { reason: 'forbidden_address' };
  return { reason: 'network', code: typeof code === 'string' ? code : '' };
}

/**
 * One POST over node:http(s), read as a stream: bytes are counted as they arrive and the
 * request is destroyed as soon as they pass `maxBytes`, so a hostile upstream can make us hold
 * at most that much. Redirects are never followed (a 3xx is just a reply that is not JSON),
 * so a public URL cannot send us on to a forbidden one. No Accept-Encoding is sent, so no
 * compressed reply can expand past the limit after it was counted.
 */
export function postForm(post: FormPost): Promise<TransportResult> {
  let url: URL;
  try {
    url = new URL(post.url);
  } catch {
    return Promise.resolve({ ok: false, failure: { reason: 'forbidden_address' } });
  }
  if (isRefusedUrl(url, post.network)) {
    return Promise.resolve({ ok: false, failure: { reason: 'forbidden_address' } });
  }
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (result: TransportResult) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const fail = (failure: TransportFailure) => settle({ ok: false, failure });
    const onResponse = (response: IncomingMessage) => {
      if (Number(response.headers['content-length']) > post.maxBytes) return fail({ reason: 'too_large' });
      const chunks: Buffer[] = [];
      let receivedBytes = 0;
      response.on('data', (chunk: Buffer) => {
        receivedBytes += chunk.length;
        if (receivedBytes > post.maxBytes) fail({ reason: 'too_large' });
        else chunks.push(chunk);
      });
      response.on('end', () =>
        settle({ ok: true, status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', (error) => fail(failureOf(error)));
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        lookup: guardedLookup(post.network),
        // A fresh connection each time: a pooled socket would skip the address check.
        agent: false,
      },
      onResponse,
    );
    const timer = setTimeout(() => fail({ reason: 'timeout' }), post.timeoutMs);
    request.on('error', (error) => fail(failureOf(error)));
    request.end(post.body);
  });
}
