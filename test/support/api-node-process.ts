/**
 * An API node in a process of its own, over the database a test names: what two servers
 * behind a load balancer are. Prints `{"port":N}` once listening; stops on SIGTERM.
 * Env: DATABASE_URL, NODE_CLOCK_MS (the fixed time of its clock).
 */
import { createAppContext } from '../../src/app/context.js';
import { FakeClock } from '../../src/domain/clock.js';
import { openStorage } from '../../src/storage/connection.js';
import { startServer } from './api-server.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const storage = openStorage(url);
const ctx = createAppContext(storage, new FakeClock(Number(process.env.NODE_CLOCK_MS ?? Date.now())));
const { app, baseUrl } = await startServer({ ctx });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(baseUrl).port) })}\n`);
process.once('SIGTERM', () => {
  app
    .close()
    .then(() => storage.close())
    .finally(() => process.exit(0));
});
