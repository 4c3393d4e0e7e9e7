import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { FuzzRequest } from './fuzz-requests.js';

/** What came back: a status and a body, or no answer at all (and why). */
export interface FuzzAnswer {
  status?: number;
  contentType?: string;
  body: Buffer;
  /** The connection failed or closed without an answer: ECONNRESET, a timeout, ... */
  failure?: string;
}

const TIMEOUT_MS = 15_000;

/**
 * At most `concurrency` connections to the server under test, each used for one request: a
 * kept-alive connection the server closes after its idle timeout just as the next request
 * goes out on it is reset, a race of HTTP itself (clients retry such requests) that a loaded
 * machine made happen and that says nothing about the server.
 */
export function fuzzAgent(concurrency: number): Agent {
  return new Agent({ keepAlive: false, maxSockets: concurrency });
}

export function sendFuzzRequest(port: number, agent: Agent, request: FuzzRequest): Promise<FuzzAnswer> {
  return request.rawBytes
    ? sendRaw(port, request.rawBytes, request.halfClose === true)
    : sendHttp(port, agent, request);
}

function sendHttp(port: number, agent: Agent, request: FuzzRequest): Promise<FuzzAnswer> {
  return new Promise((resolve) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of request.headers) {
      const previous = headers[name];
      headers[name] =
        previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    headers['content-length'] = String(request.body.length);
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.path,
        headers,
        agent,
        timeout: TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            contentType: response.headers['content-type'],
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', (error) => resolve({ body: Buffer.concat(chunks), failure: errorName(error) }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', (error) => resolve({ body: Buffer.alloc(0), failure: errorName(error) }));
    outgoing.end(request.body);
  });
}

const errorName = (error: Error) => (error as NodeJS.ErrnoException).code ?? error.message;

/**
 * Raw bytes on a fresh connection (each says `Connection: close`), the answer read until the
 * server closes. Only the first response is parsed.
 */
function sendRaw(port: number, bytes: Buffer, halfClose: boolean): Promise<FuzzAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    socket.setTimeout(TIMEOUT_MS, () => {
      failure = 'timeout';
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      failure ??= errorName(error);
    });
    socket.on('close', () => {
      const answer = parseFirstResponse(Buffer.concat(chunks));
      resolve(answer ?? { body: Buffer.alloc(0), failure: failure ?? 'closed without an answer' });
    });
    if (halfClose) socket.end(bytes);
    else socket.write(bytes);
  });
}

function parseFirstResponse(bytes: Buffer): FuzzAnswer | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...headerLines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const header = (name: string) =>
    headerLines
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const length = Number(header('content-length') ?? bytes.length - headEnd - 4);
  const body = bytes.subarray(headEnd + 4, headEnd + 4 + length);
  return { status, contentType: header('content-type'), body };
}
