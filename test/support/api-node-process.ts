/**
 * An API node in a process of its own, over the database a test names: what two servers
 * behind a load balancer are. Prints `{"port":N}` once listening; stops on SIGTERM.
 * Env: DATABASE_URL, NODE_CLOCK_MS (the fixed time of its clock).
 */
import { createAppContext } from '../../src/app/context.js';
import { FakeClock } from '../../src/domain/clock.js';
import { buildServer } from '../../src/http/server.js';
import { openStorage } from '../../src/storage/connection.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const storage = openStorage(url);
const ctx = createAppContext(storage, new FakeClock(Number(process.env.NODE_CLOCK_MS ?? Date.now())));
const app = await buildServer({ ctx });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
process.once('SIGTERM', () => {
  app
    .close()
    .then(() => storage.close())
    .finally(() => process.exit(0));
});
