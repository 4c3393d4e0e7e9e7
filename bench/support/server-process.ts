/**
 * A benchmark server in a process of its own, so the load generator does not share its event
 * loop. `panel` is the real composition root (startPanel) over a fresh database, with the
 * fulfilment worker off; `bare` is a Fastify server with one constant POST route and the same
 * logger, the baseline the panel's figures are divided by.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { createAccount } from '../../src/app/create-account.js';
import { placeOrder } from '../../src/app/place-order.js';
import { createService } from '../../src/app/save-service.js';
import { verifyLedger } from '../../src/app/verify-ledger.js';
import { loadConfig } from '../../src/config.js';
import { requestSerializers } from '../../src/http/server.js';
import { startPanel } from '../../src/main.js';
import {
  BENCH_LINK,
  BENCH_QUANTITY,
  type ChildMessage,
  type ChildOptions,
  type ParentMessage,
} from './protocol.js';

/** 100 million EUR: no `add` run can exhaust it, so no request fails for want of balance. */
const BENCH_BALANCE_UNITS = 1_000_000_000_000;
const BENCH_SERVICE_ID = 9001;
/** The bare route answers what `balance` answers, so both send bodies of one size. */
const BARE_BODY = { balance: '100000000.0000', currency: 'EUR' };

function send(message: ChildMessage): void {
  process.send?.(message);
}

function portOf(server: { address(): unknown }): number {
  const address = server.address();
  if (!address || typeof address !== 'object' || !('port' in address)) throw new Error('server has no port');
  return Number(address.port);
}

async function startBare(options: ChildOptions) {
  const app = Fastify({ loggerInstance: pino({ level: options.logLevel, serializers: requestSerializers }) });
  app.post('/api/v2', async () => BARE_BODY);
  await app.listen({ port: 0, host: '127.0.0.1' });
  send({ type: 'ready', port: portOf(app.server), apiKey: '', serviceId: 0, orderIds: [] });
  return { stop: () => app.close(), check: async () => ({ isLedgerOk: true, violations: [], orders: 0 }) };
}

async function startBenchPanel(options: ChildOptions) {
  if (!options.databaseUrl) throw new Error('panel mode needs a database URL');
  const dataDir = mkdtempSync(join(tmpdir(), 'inspiria-bench-'));
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: options.logLevel,
    RUN_WORKER: 'false',
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    // One key at full load is what a benchmark is; the per-key rate limit would measure itself.
    API_RATE_LIMIT: '0',
  });
  const panel = await startPanel(config);
  const ctx = panel.opened.ctx;
  const customer = await createAccount(ctx, {
    email: 'bench-customer@example.com',
    password: 'bench-password',
    openingBalanceUnits: BENCH_BALANCE_UNITS,
  });
  await createService(ctx, {
    id: BENCH_SERVICE_ID,
    fields: {
      name: 'Bench likes',
      category: 'Likes',
      type: 'Default',
      linkType: 'post_url',
      rateUnits: 1000,
      minQuantity: 10,
      maxQuantity: 1_000_000,
      canCancel: true,
      isActive: true,
      backend: 'operator',
    },
    actor: 'bench',
  });
  const orderIds: number[] = [];
  for (let i = 0; i < options.statusOrders; i += 1) {
    const placed = await placeOrder(ctx, {
      accountId: customer.id,
      serviceId: BENCH_SERVICE_ID,
      link: BENCH_LINK,
      quantity: BENCH_QUANTITY,
      comments: undefined,
    });
    orderIds.push(placed.orderId);
  }
  send({
    type: 'ready',
    port: portOf(panel.app.server),
    apiKey: customer.apiKey,
    serviceId: BENCH_SERVICE_ID,
    orderIds,
  });
  return {
    stop: async () => {
      await panel.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    check: async () => {
      const report = await verifyLedger(ctx);
      return { isLedgerOk: report.ok, violations: report.violations.slice(0, 10), orders: report.orders };
    },
  };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_CHILD_OPTIONS ?? '{}') as ChildOptions;
  const server = options.mode === 'bare' ? await startBare(options) : await startBenchPanel(options);
  const stop = () =>
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  // An orphan never outlives its parent: the IPC channel closes when the parent goes.
  process.on('disconnect', stop);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') void stop();
    if (message.type === 'check') {
      server.check().then(
        (checked) => send({ type: 'checked', ...checked }),
        (error: unknown) => send({ type: 'failed', message: String(error) }),
      );
    }
  });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
