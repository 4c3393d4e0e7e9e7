/**
 * The /api/v2 benchmark (`npm run bench`): on each database, `balance`, a 100-order `status`
 * batch and `add`, each beside a bare Fastify handler measured in the same run. The servers run
 * in child processes; autocannon loads them from this process over loopback.
 */
import { type ChildServer, startChildServer } from './support/child-server.js';
import {
  type BenchDatabase,
  type BenchDatabaseName,
  createBenchDatabase,
  isPostgresReachable,
} from './support/databases.js';
import { measureSqliteCommitRate } from './support/disk-baseline.js';
import { failuresOf, type LoadResult, runLoad } from './support/load.js';
import { BENCH_LINK, BENCH_QUANTITY } from './support/protocol.js';
import type { Aim, BenchSection, BenchSettings, Measurement, SectionResult } from './support/report.js';

const STATUS_BATCH = 100;
/** The aims: balance at half the bare rate or better; add at 1,500/s on SQLite. */
const BALANCE_MIN_RATIO = 0.5;
const SQLITE_ADD_MIN_RATE = 1500;

interface Scenario {
  name: string;
  body: (server: ChildServer) => Record<string, unknown>;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'balance', body: (s) => ({ key: s.ready.apiKey, action: 'balance' }) },
  {
    name: `status ×${STATUS_BATCH}`,
    body: (s) => ({ key: s.ready.apiKey, action: 'status', orders: s.ready.orderIds.join(',') }),
  },
  {
    name: 'add',
    body: (s) => ({
      key: s.ready.apiKey,
      action: 'add',
      service: s.ready.serviceId,
      link: BENCH_LINK,
      quantity: BENCH_QUANTITY,
    }),
  },
];

function toMeasurement(scenario: string, result: LoadResult): Measurement {
  return {
    scenario,
    rate: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    failures: failuresOf(result),
  };
}

function describeFailures(label: string, result: LoadResult): string | undefined {
  if (failuresOf(result) === 0) return undefined;
  return (
    `${label}: ${result.non2xx} non-2xx, ${result.errors} connection errors, ${result.timeouts} timeouts, ` +
    `${result.errorBodies} {"error"} bodies out of ${result.requests} requests`
  );
}

interface DatabaseRun {
  rows: Measurement[];
  aims: Aim[];
  problems: string[];
  notes: string[];
}

async function measureDatabase(
  settings: BenchSettings,
  database: BenchDatabase,
  panel: ChildServer,
  bare: ChildServer,
): Promise<DatabaseRun> {
  const problems: string[] = [];
  const notes: string[] = [];
  const load = async (label: string, server: ChildServer, body: Record<string, unknown>) => {
    const result = await runLoad({
      url: `${server.baseUrl}/api/v2`,
      body: JSON.stringify(body),
      connections: settings.connections,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
    });
    const failure = describeFailures(`${database.name} ${label}`, result);
    if (failure) problems.push(failure);
    return result;
  };
  // The baseline is measured before and after the scenarios and averaged, so a neighbour's load
  // during the run shows up as a gap between the two rather than as a silent bias.
  const bareBefore = await load('bare', bare, { key: 'none', action: 'balance' });
  const measured: { name: string; result: LoadResult }[] = [];
  const only = settings.only;
  const chosen = only ? SCENARIOS.filter((s) => only.some((part) => s.name.includes(part))) : SCENARIOS;
  for (const scenario of chosen) {
    measured.push({ name: scenario.name, result: await load(scenario.name, panel, scenario.body(panel)) });
  }
  const commitRate = database.name === 'sqlite' ? measureSqliteCommitRate(settings.seconds) : undefined;
  const bareAfter = await load('bare', bare, { key: 'none', action: 'balance' });
  const baselineRate = (bareBefore.requestsPerSecond + bareAfter.requestsPerSecond) / 2;

  const rows = [
    {
      ...toMeasurement('bare Fastify (before)', bareBefore),
      ratio: bareBefore.requestsPerSecond / baselineRate,
    },
    ...measured.map(({ name, result }) => ({
      ...toMeasurement(name, result),
      ratio: result.requestsPerSecond / baselineRate,
    })),
    {
      ...toMeasurement('bare Fastify (after)', bareAfter),
      ratio: bareAfter.requestsPerSecond / baselineRate,
    },
  ];
  const checked = await panel.check();
  if (!checked.isLedgerOk)
    problems.push(`${database.name}: ledger check failed: ${checked.violations.join('; ')}`);
  const placed = measured.find((m) => m.name === 'add')?.result.requests ?? 0;
  if (checked.orders < STATUS_BATCH + placed) {
    problems.push(
      `${database.name}: ${checked.orders} orders stored, expected at least ${STATUS_BATCH + placed}`,
    );
  }
  const rateOf = (name: string) => measured.find((m) => m.name === name)?.result.requestsPerSecond ?? 0;
  const balanceRatio = rateOf('balance') / baselineRate;
  const aims: Aim[] = [
    {
      description: `${database.name}: balance at ${balanceRatio.toFixed(2)}× bare (aim ≥ ${BALANCE_MIN_RATIO}×)`,
      isMet: balanceRatio >= BALANCE_MIN_RATIO,
    },
  ];
  if (database.name === 'sqlite') {
    aims.push({
      description: `sqlite: add at ${rateOf('add').toFixed(0)} orders/s with synchronous=FULL (aim ≥ ${SQLITE_ADD_MIN_RATE}/s)`,
      isMet: rateOf('add') >= SQLITE_ADD_MIN_RATE,
    });
  }
  if (commitRate !== undefined) {
    notes.push(
      `sqlite: add ran at ${(rateOf('add') / commitRate).toFixed(2)}× the raw commit rate of this disk ` +
        `(${commitRate.toFixed(0)} one-row commits/s with synchronous=FULL, measured just after add)`,
    );
  }
  return { rows, aims, problems, notes };
}

async function runOnDatabase(settings: BenchSettings, name: BenchDatabaseName): Promise<DatabaseRun> {
  const database = await createBenchDatabase(name, settings.postgresUrl);
  const servers: ChildServer[] = [];
  try {
    const launch = (label: string, options: Parameters<typeof startChildServer>[0]['options']) =>
      startChildServer({
        label,
        options,
        artifactsDir: settings.artifactsDir,
        isProfiled: settings.isProfiled,
      });
    const common = { logLevel: settings.logLevel, statusOrders: STATUS_BATCH };
    const panel = await launch(`api-${name}`, { mode: 'panel', databaseUrl: database.url, ...common });
    servers.push(panel);
    const bare = await launch(`bare-${name}`, { mode: 'bare', ...common });
    servers.push(bare);
    return await measureDatabase(settings, database, panel, bare);
  } finally {
    for (const server of servers) await server.stop();
    await database.drop();
  }
}

export const apiSection: BenchSection = {
  name: 'api',
  async run(settings) {
    const result: SectionResult = { name: 'api', tables: [], aims: [], problems: [], notes: [] };
    for (const name of settings.databases) {
      if (name === 'postgres' && !(await isPostgresReachable(settings.postgresUrl))) {
        result.problems.push(`postgres: unreachable at ${settings.postgresUrl}, not measured`);
        continue;
      }
      process.stderr.write(`bench api: ${name}...\n`);
      const run = await runOnDatabase(settings, name);
      result.tables.push({
        title: `/api/v2 on ${name} (${settings.connections} connections, ${settings.seconds} s each)`,
        unit: 'req/s',
        baseline: 'bare',
        rows: run.rows,
      });
      result.aims.push(...run.aims);
      result.problems.push(...run.problems);
      result.notes.push(...run.notes);
    }
    result.notes.push(
      `servers log at level ${settings.logLevel}; the panel runs startPanel with the worker and the per-key rate limit off`,
      'bare = Fastify with one constant POST route and the same logger, in its own process like the panel',
    );
    return result;
  },
};
