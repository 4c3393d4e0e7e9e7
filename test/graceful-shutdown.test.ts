import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { callApi, createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { binOf, useBuild } from './support/cli.js';
import { describeEachDatabase } from './support/databases.js';

const LANES = 6;
const ACKS_BEFORE_SIGTERM = 30;

/** The built bin (test/support/cli.ts): what an operator runs, and a quarter of tsx's start-up cost. */
const build = useBuild();

/** `inspiria serve`, worker included, on the suite's database; resolves with its port. */
function spawnServer(databaseUrl: string): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(process.execPath, [binOf(build()), 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      PASSWORD_HASH_COST: 'test',
      LOG_LEVEL: 'silent',
      API_RATE_LIMIT: '0',
      SHUTDOWN_TIMEOUT_MS: '20000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
  return { child, port };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describeEachDatabase('SIGTERM under a stream of orders', (db) => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exitOf(child);
    }
  });

  it('stops taking requests, finishes those under way, and loses no acknowledged order', async () => {
    const customer = await createCustomer(db(), 1_000_000_000);
    const service = await createTestService(db(), { backend: 'simulator', minQuantity: 1 });
    const spawned = spawnServer(db().url);
    child = spawned.child;
    const baseUrl = `http://127.0.0.1:${await spawned.port}`;
    const acknowledged: { orderId: number; link: string }[] = [];
    let refusedAfterSignal = 0;
    let sent = 0;
    let signalled = false;
    const lane = async (laneNo: number) => {
      for (let i = 0; ; i++) {
        const link = `https://www.instagram.com/p/Shutdown${laneNo}x${i}/`;
        sent += 1;
        try {
          const reply = await callApi(baseUrl, {
            key: customer.apiKey,
            action: 'add',
            service: service.id,
            link,
            quantity: 10,
          });
          if (reply.status === 200) {
            acknowledged.push({ orderId: (reply.body as { order: number }).order, link });
          } else {
            // The only other answer a closing server gives: 503 on a kept-alive connection.
            expect(reply.status).toBe(503);
            refusedAfterSignal += 1;
            return;
          }
        } catch {
          // Connection refused or closed: the server no longer accepts.
          expect(signalled).toBe(true);
          return;
        }
        if (!signalled && acknowledged.length >= ACKS_BEFORE_SIGTERM) {
          signalled = true;
          child?.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, laneNo) => lane(laneNo)));
    expect(await exitOf(spawned.child)).toBe(0);
    expect(signalled).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_SIGTERM);
    expect(acknowledged.length + refusedAfterSignal).toBeLessThanOrEqual(sent);

    const stored = await db()
      .storage.db.selectFrom('orders')
      .select(['id', 'link', 'account_id'])
      .where('account_id', '=', customer.id)
      .execute();
    const byId = new Map(stored.map((row) => [Number(row.id), row.link]));
    for (const { orderId, link } of acknowledged) expect(byId.get(orderId), `order ${orderId}`).toBe(link);
    await expectLedgerOk(db());
  });
});
