import { request } from 'node:http';
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
      expect(response.allow).toBe('POST');
      expect(JSON.parse(response.body)).toEqual({ error: 'Method not allowed' });
    },
  );

  it('a path that is not the endpoint is still not found', async () => {
    const response = await send(baseUrl, 'TRACE', '/api/v3');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: 'Not found' });
  });
});
