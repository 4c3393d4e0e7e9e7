import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../src/http/server.js';
import { describeEachDatabase } from './support/databases.js';

/** Sends `body` a byte every `intervalMs`; resolves with what came back and when the socket closed. */
function trickle(
  port: number,
  body: string,
  intervalMs: number,
): Promise<{ reply: string; elapsedMs: number }> {
  return new Promise((resolve) => {
    const startedMs = Date.now();
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(
        `POST /api/v2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      timer = setInterval(() => {
        if (sent < body.length && socket.writable) socket.write(body[sent++] ?? '');
      }, intervalMs);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ reply, elapsedMs: Date.now() - startedMs });
    });
  });
}

describeEachDatabase('server timeouts', (db) => {
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    app = await buildServer({
      ctx: db().ctx,
      timeouts: { requestMs: 400, headersMs: 400, idleSocketMs: 5_000, keepAliveMs: 1_000 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });
  afterAll(() => app.close());

  it('cuts off a body sent a byte at a time, slower than the request timeout', async () => {
    // 60 bytes at one per 50 ms would take 3 s; the server gives the whole request 400 ms.
    const body = JSON.stringify({ key: 'x'.repeat(30), action: 'balance' }).padEnd(60, ' ');
    const { reply, elapsedMs } = await trickle(port, body, 50);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toContain('{"error":"Request timeout"}');
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it('still answers a request that arrives in time', async () => {
    const { reply } = await trickle(port, JSON.stringify({ action: 'balance' }), 1);
    expect(reply).toMatch(/^HTTP\/1\.1 401 /);
  });
});
