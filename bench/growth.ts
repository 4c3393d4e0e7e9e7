/**
 * `BENCH_SECTIONS=growth`: the API and the admin overview over a grown database (issue 12):
 * BENCH_GROWTH_ORDERS orders (1,000,000 by default) and five ledger entries per order, written
 * in bulk. On each database: `balance`, `add` and a 100-order `status` as ratios to the bare
 * handler (to compare with the api section's figures on an empty database), the admin overview
 * and a customer's orders page timed in this process, and the API node's resident memory.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compactAllBusinessSummaries } from '../src/app/compact-business-summaries.js';
import { createAppContext } from '../src/app/context.js';
import { getAdminOverview } from '../src/app/get-admin-overview.js';
import { listCustomerOrders } from '../src/app/list-customer-orders.js';
import { createService } from '../src/app/save-service.js';
import { systemClock } from '../src/domain/clock.js';
import { openStorage } from '../src/storage/connection.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { buildBenchServer } from './support/built-server.js';
import { type ChildServer, startChildServer } from './support/child-server.js';
import { type BenchDatabaseName, createBenchDatabase, isPostgresReachable } from './support/databases.js';
import { buildGrowthData } from './support/growth-data.js';
import { failuresOf, runLoad } from './support/load.js';
import { BENCH_LINK, BENCH_QUANTITY } from './support/protocol.js';
import type { Aim, BenchSection, BenchSettings, Measurement, SectionResult } from './support/report.js';

const OVERVIEW_MAX_MS = 200;
const RSS_MAX_MB = 150;
const GROWTH_SERVICE_ID = 9100;

function growthOrders(): number {
  const text = process.env.BENCH_GROWTH_ORDERS || '1000000';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1000)
    throw new Error('BENCH_GROWTH_ORDERS must be a whole number ≥ 1000');
  return value;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timeMs(times: number, action: () => Promise<unknown>): Promise<number> {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await action();
    durations.push(performance.now() - started);
  }
  return median(durations);
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

async function loadPaired(settings: BenchSettings, panel: ChildServer, bare: ChildServer, body: object) {
  const run = (server: ChildServer, payload: object) =>
    runLoad({
      url: `${server.baseUrl}/api/v2`,
      body: JSON.stringify(payload),
      connections: settings.connections,
      seconds: settings.seconds,
      warmupSeconds: 0,
      serverPid: server.pid,
    });
  const bareRun = await run(bare, { key: 'none', action: 'balance' });
  const panelRun = await run(panel, body);
  return { panelRun, ratio: panelRun.requestsPerSecond / bareRun.requestsPerSecond };
}

async function measureGrown(
  settings: BenchSettings,
  name: BenchDatabaseName,
  orders: number,
  builtEntry: string,
): Promise<{ rows: Measurement[]; aims: Aim[]; problems: string[]; notes: string[] }> {
  const database = await createBenchDatabase(name, settings.postgresUrl);
  const storage = openStorage(database.url, { poolSize: 2 });
  const servers: ChildServer[] = [];
  try {
    await migrateToLatest(storage);
    const ctx = createAppContext(storage, systemClock);
    await createService(ctx, {
      id: GROWTH_SERVICE_ID,
      fields: {
        name: 'Grown likes',
        category: 'Likes',
        type: 'Default',
        linkType: 'post_url',
        rateUnits: 1000,
        minQuantity: 10,
        maxQuantity: 100_000,
        canCancel: true,
        isActive: true,
        backend: 'operator',
      },
      actor: 'bench',
    });
    const buildStarted = performance.now();
    const { customerIds } = await buildGrowthData(storage, {
      orders,
      serviceId: GROWTH_SERVICE_ID,
      nowMs: Date.now(),
    });
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    // The worker folds the summaries' deltas (migration 017) every few seconds as orders arrive;
    // a bulk load leaves them all at once: folded here, and timed, before anything is measured.
    const compactStarted = performance.now();
    await compactAllBusinessSummaries(ctx);
    const compactSeconds = (performance.now() - compactStarted) / 1000;
    const common = { logLevel: settings.logLevel, statusOrders: 100 };
    const launch = (label: string, options: Parameters<typeof startChildServer>[0]['options']) =>
      startChildServer({
        label,
        options,
        artifactsDir: settings.artifactsDir,
        isProfiled: settings.isProfiled,
        builtEntry,
      });
    const panel = await launch(`growth-${name}`, { mode: 'panel', databaseUrl: database.url, ...common });
    servers.push(panel);
    const bare = await launch(`growth-bare-${name}`, { mode: 'bare', ...common });
    servers.push(bare);
    const key = panel.ready.apiKey;
    const scenarios: [string, object][] = [
      ['balance', { key, action: 'balance' }],
      ['status ×100', { key, action: 'status', orders: panel.ready.orderIds.join(',') }],
      [
        'add',
        { key, action: 'add', service: panel.ready.serviceId, link: BENCH_LINK, quantity: BENCH_QUANTITY },
      ],
    ];
    const rows: Measurement[] = [];
    const problems: string[] = [];
    for (const [scenario, body] of scenarios) {
      const { panelRun, ratio } = await loadPaired(settings, panel, bare, body);
      const failures = failuresOf(panelRun);
      if (failures > 0) problems.push(`growth ${name} ${scenario}: ${failures} failed requests`);
      rows.push({
        scenario,
        rate: panelRun.requestsPerSecond,
        p50Ms: panelRun.p50Ms,
        p99Ms: panelRun.p99Ms,
        ratio,
        failures,
        ...panelRun.cpu,
      });
    }
    const rss = rssMb(panel.pid);
    const overviewMs = await timeMs(5, () => getAdminOverview(ctx));
    const busiest = customerIds[0] ?? 0;
    const pageMs = await timeMs(5, () => listCustomerOrders(ctx, { accountId: busiest }));
    rows.push({ scenario: 'admin overview (ms, median of 5)', rate: overviewMs, failures: 0 });
    rows.push({
      scenario: `customer orders page, ${Math.round(orders / customerIds.length)} orders (ms)`,
      rate: pageMs,
      failures: 0,
    });
    rows.push({ scenario: 'API node RSS after the runs (MB)', rate: rss, failures: 0 });
    return {
      rows,
      problems,
      aims: [
        {
          description: `${name}: admin overview over ${orders} orders in ${overviewMs.toFixed(0)} ms (aim < ${OVERVIEW_MAX_MS} ms)`,
          isMet: overviewMs < OVERVIEW_MAX_MS,
        },
        {
          description: `${name}: API node RSS ${rss.toFixed(0)} MB over ${orders} orders (aim < ${RSS_MAX_MB} MB)`,
          isMet: rss < RSS_MAX_MB,
        },
      ],
      notes: [
        `${name}: ${orders} orders and ${5 * orders} ledger entries built in ${buildSeconds.toFixed(0)} s, their summary deltas folded in ${compactSeconds.toFixed(0)} s`,
      ],
    };
  } finally {
    for (const server of servers) await server.stop();
    await storage.close();
    await database.drop();
  }
}

export const growthSection: BenchSection = {
  name: 'growth',
  async run(settings) {
    const result: SectionResult = { name: 'growth', tables: [], aims: [], problems: [], notes: [] };
    const orders = growthOrders();
    // The API node runs compiled, as in production (`node dist/...`), not under tsx.
    const builtEntry = buildBenchServer(settings.artifactsDir);
    for (const name of settings.databases) {
      if (name === 'postgres' && !(await isPostgresReachable(settings.postgresUrl))) {
        result.problems.push('postgres: unreachable at BENCH_POSTGRES_URL, not measured');
        continue;
      }
      process.stderr.write(`bench growth: ${name}, ${orders} orders...\n`);
      const run = await measureGrown(settings, name, orders, builtEntry);
      result.tables.push({
        title: `grown ${name}: ${orders} orders, ${5 * orders} ledger entries (${settings.connections} connections, one run of ${settings.seconds} s each)`,
        unit: 'req/s, or as named',
        baseline: 'bare',
        rows: run.rows,
      });
      result.aims.push(...run.aims);
      result.problems.push(...run.problems);
      result.notes.push(...run.notes);
    }
    return result;
  },
};
