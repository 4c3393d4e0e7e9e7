import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApiServer } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

/** What the /api/v2 fuzz battery (npm run fuzz) found, each pinned here once fixed. */

/** A request with any method Node's parser knows, which fetch() refuses to send for some. */
function send(baseUrl: string, method: string, path = '/api/v2') {
  return new Promise<{ status: number; type: string | undefined; allow: string | undefined; body: string }>(
    (resolve, reject) => {
      const outgoing = request(`${baseUrl}${path}`, { method }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: response.headers['content-type'],
            allow: response.headers.allow,
            body,
          }),
        );
      });
      outgoing.on('error', reject);
      outgoing.end();
    },
  );
}

describeEachDatabase('api v2 fuzz findings', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
  });
  afterAll(() => stop());

  // contract §1: every method but POST (GET and HEAD aside, §13) gets 405 and a JSON error,
  // not the 404 the framework gives a method no route names.
  it.each(['TRACE', 'PROPFIND', 'SEARCH', 'LOCK', 'MKCOL', 'PURGE', 'REPORT'])(
    '%s /api/v2 is 405',
    async (method) => {
      const response = await send(baseUrl, method, '/api/v2?action=balance');
      expect(response.status).toBe(405);
      expect(response.type).toBe('application/json; charset=utf-8');
      expect(response.allow).toBe('POST, GET, HEAD');
      expect(JSON.parse(response.body)).toEqual({ error: 'Method not allowed' });
    },
  );

  it('a path that is not the endpoint is still not found', async () => {
    const response = await send(baseUrl, 'TRACE', '/api/v3');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: 'Not found' });
  });
});

describeEachDatabase('api v2 fuzz findings: CONNECT', (db) => {
  // contract §1: CONNECT is a method like the others. Node hands it to a 'connect' listener
  // instead of the router, and with none it closed the connection without a word.
  it('CONNECT /api/v2 is 405 with the JSON error, not a dropped connection', async () => {
    const server = await startApiServer(db());
    try {
      const port = Number(new URL(server.baseUrl).port);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port });
        let received = '';
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(received));
        socket.write('CONNECT /api/v2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      });
      expect(answer).toMatch(/^HTTP\/1\.1 405 /);
      expect(answer.toLowerCase()).toContain('content-type: application/json; charset=utf-8');
      expect(answer.toLowerCase()).toContain('allow: post, get, head');
      expect(answer.endsWith('{"error":"Method not allowed"}')).toBe(true);
    } finally {
      await server.app.close();
    }
  });
});
