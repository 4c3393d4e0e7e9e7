/**
 * The /api/v2 benchmark (`npm run bench`): on each database, `balance`, a 100-order `status`
 * batch and `add`, each beside a bare Fastify handler measured in the same run. The servers run
 * in child processes; autocannon loads them from this process over loopback.
 */
import { buildBenchServer } from './support/built-server.js';
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
/** An earlier issue's aim: add at 1,500/s on SQLite. */
const SQLITE_ADD_MIN_RATE = 1500;

interface Scenario {
  name: string;
  body: (server: ChildServer) => Record<string, unknown>;
  /** Each request's body instead, when they must differ. */
  nextBody?: (server: ChildServer) => () => Record<string, unknown>;
  /** One client polling (its latency is the figure); else BENCH_CONNECTIONS. Its bare pair alike. */
  connections?: number;
}

const statusBatchBody = (s: ChildServer) => ({
  key: s.ready.apiKey,
  action: 'status',
  orders: s.ready.orderIds.join(','),
});

/**
 * Batches no node has kept (status-answers-kept.ts): each leaves out two of the hundred ids, a
 * pair after another of the 4,950, so none comes back before thousands of others have pushed it
 * out. What a poll costs when its orders changed since the last one.
 */
const unkeptStatusBatches = (s: ChildServer) => {
  let count = 0;
  return () => {
    const ids = s.ready.orderIds;
    const first = count % ids.length;
    const second = (first + 1 + (Math.floor(count / ids.length) % (ids.length - 1))) % ids.length;
    count += 1;
    const asked = ids.filter((_, index) => index !== first && index !== second);
    return { key: s.ready.apiKey, action: 'status', orders: asked.join(',') };
  };
};

const SCENARIOS: readonly Scenario[] = [
  { name: 'balance', body: (s) => ({ key: s.ready.apiKey, action: 'balance' }) },
  { name: `status ×${STATUS_BATCH}`, body: statusBatchBody },
  { name: `status ×${STATUS_BATCH} never kept`, body: statusBatchBody, nextBody: unkeptStatusBatches },
  { name: `status ×${STATUS_BATCH} @1`, body: statusBatchBody, connections: 1 },
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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

interface PairedRuns {
  name: string;
  runs: LoadResult[];
  /** Each run's rate over the bare run just before it. */
  ratios: number[];
  /** For `add` on SQLite: the disk's raw commit rate measured just after each run. */
  commitRates: number[];
}

function summarise(name: string, runs: LoadResult[], ratios: number[]): Measurement {
  const metered = runs.flatMap((run) => (run.cpu ? [run.cpu] : []));
  return {
    scenario: name,
    rate: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    ...(ratios.length > 0 ? { ratio: median(ratios) } : {}),
    failures: runs.reduce((sum, run) => sum + failuresOf(run), 0),
    ...(metered.length > 0
      ? {
          serverCpuUs: median(metered.map((cpu) => cpu.serverCpuUs)),
          postgresCpuUs: median(metered.map((cpu) => cpu.postgresCpuUs)),
        }
      : {}),
  };
}

/** Issue 12's aims, each a ratio to the bare handler in the same round. */
const RATIO_AIMS: Readonly<Record<string, Readonly<Record<BenchDatabaseName, number>>>> = {
  balance: { sqlite: 0.7, postgres: 0.5 },
  add: { sqlite: 0.4, postgres: 0.2 },
  [`status ×${STATUS_BATCH}`]: { sqlite: 0.25, postgres: 0.25 },
};
const STATUS_ONE_CLIENT_MAX_P99_MS = 5;

function aimsOf(database: BenchDatabase, paired: PairedRuns[]): { aims: Aim[]; notes: string[] } {
  const aims: Aim[] = [];
  const notes: string[] = [];
  for (const [name, byDatabase] of Object.entries(RATIO_AIMS)) {
    const runs = paired.find((p) => p.name === name);
    if (!runs) continue;
    const ratio = median(runs.ratios);
    const aim = byDatabase[database.name];
    aims.push({
      description: `${database.name}: ${name} at ${ratio.toFixed(2)}× bare (aim ≥ ${aim}×)`,
      isMet: ratio >= aim,
    });
  }
  const oneClient = paired.find((p) => p.name === `status ×${STATUS_BATCH} @1`);
  if (oneClient) {
    const p99Ms = median(oneClient.runs.map((run) => run.p99Ms));
    const p50Ms = median(oneClient.runs.map((run) => run.p50Ms));
    aims.push({
      description: `${database.name}: status ×${STATUS_BATCH} at one connection p50 ${p50Ms} ms, p99 ${p99Ms} ms (aim p99 < ${STATUS_ONE_CLIENT_MAX_P99_MS} ms)`,
      isMet: p99Ms < STATUS_ONE_CLIENT_MAX_P99_MS,
    });
  }
  const add = paired.find((p) => p.name === 'add');
  if (add && database.name === 'sqlite') {
    const rate = median(add.runs.map((run) => run.requestsPerSecond));
    aims.push({
      description: `sqlite: add at ${rate.toFixed(0)} orders/s with synchronous=FULL (aim ≥ ${SQLITE_ADD_MIN_RATE}/s)`,
      isMet: rate >= SQLITE_ADD_MIN_RATE,
    });
    const toDisk = median(add.runs.map((run, i) => run.requestsPerSecond / (add.commitRates[i] ?? 1)));
    notes.push(
      `sqlite: add ran at ${toDisk.toFixed(2)}× the raw commit rate of this disk (median ` +
        `${median(add.commitRates).toFixed(0)} one-row commits/s with synchronous=FULL, measured after each add run)`,
    );
  }
  return { aims, notes };
}

async function measureDatabase(
  settings: BenchSettings,
  database: BenchDatabase,
  panel: ChildServer,
  bare: ChildServer,
): Promise<DatabaseRun> {
  const problems: string[] = [];
  const load = async (run: {
    label: string;
    server: ChildServer;
    body: Record<string, unknown>;
    /** The first run of a pair's rounds is preceded by the warm-up. */
    isFirst: boolean;
    connections: number | undefined;
    nextBody?: (() => Record<string, unknown>) | undefined;
  }) => {
    const { label, server, body, nextBody } = run;
    const result = await runLoad({
      url: `${server.baseUrl}/api/v2`,
      body: JSON.stringify(body),
      nextBody: nextBody && (() => JSON.stringify(nextBody())),
      connections: run.connections ?? settings.connections,
      seconds: settings.seconds,
      warmupSeconds: run.isFirst ? settings.warmupSeconds : 0,
      serverPid: server.pid,
    });
    const failure = describeFailures(`${database.name} ${label}`, result);
    if (failure) problems.push(failure);
    return result;
  };
  // Each scenario runs in rounds, each right after a bare run of the same length, and its ratio
  // is to that bare run: a neighbour's load on this shared machine then moves both figures of a
  // pair alike, and the median of the rounds drops the pair it hit hardest.
  const only = settings.only;
  const chosen = only ? SCENARIOS.filter((s) => only.some((part) => s.name.includes(part))) : SCENARIOS;
  const bareRuns: LoadResult[] = [];
  const paired: PairedRuns[] = [];
  for (const scenario of chosen) {
    const runs: PairedRuns = { name: scenario.name, runs: [], ratios: [], commitRates: [] };
    for (let round = 0; round < settings.rounds; round += 1) {
      const isFirst = round === 0;
      const { connections } = scenario;
      const bareBody = { key: 'none', action: 'balance' };
      const bareRun = await load({ label: 'bare', server: bare, body: bareBody, isFirst, connections });
      const run = await load({
        label: scenario.name,
        server: panel,
        body: scenario.body(panel),
        isFirst,
        connections,
        nextBody: scenario.nextBody?.(panel),
      });
      // The bare row is the baseline at BENCH_CONNECTIONS; a one-client pair has its own ratio.
      if (scenario.connections === undefined) bareRuns.push(bareRun);
      runs.runs.push(run);
      runs.ratios.push(run.requestsPerSecond / bareRun.requestsPerSecond);
      if (scenario.name === 'add' && database.name === 'sqlite') {
        runs.commitRates.push(measureSqliteCommitRate(settings.seconds));
      }
    }
    paired.push(runs);
  }
  const rows = [
    summarise('bare Fastify', bareRuns, []),
    ...paired.map((p) => summarise(p.name, p.runs, p.ratios)),
  ];
  const add = paired.find((p) => p.name === 'add');
  if (add && add.commitRates.length > 0) {
    rows.push({ scenario: 'raw SQLite commit (disk)', rate: median(add.commitRates), failures: 0 });
  }
  const checked = await panel.check();
  if (!checked.isLedgerOk) {
    problems.push(`${database.name}: ledger check failed: ${checked.violations.join('; ')}`);
  }
  const placed = add?.runs.reduce((sum, run) => sum + run.requests, 0) ?? 0;
  if (checked.orders < STATUS_BATCH + placed) {
    problems.push(
      `${database.name}: ${checked.orders} orders stored, expected at least ${STATUS_BATCH + placed}`,
    );
  }
  return { rows, problems, ...aimsOf(database, paired) };
}

async function runOnDatabase(
  settings: BenchSettings,
  name: BenchDatabaseName,
  builtEntry: string,
): Promise<DatabaseRun> {
  const database = await createBenchDatabase(name, settings.postgresUrl);
  const servers: ChildServer[] = [];
  try {
    const launch = (label: string, options: Parameters<typeof startChildServer>[0]['options']) =>
      startChildServer({
        label,
        options,
        artifactsDir: settings.artifactsDir,
        isProfiled: settings.isProfiled,
        builtEntry,
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
    // Both servers run compiled, as production does (`npm start`): under tsx every request would
    // also pay esbuild's helpers (`__name` around each inner function) that the built code lacks.
    const builtEntry = buildBenchServer(settings.artifactsDir);
    for (const name of settings.databases) {
      if (name === 'postgres' && !(await isPostgresReachable(settings.postgresUrl))) {
        result.problems.push('postgres: unreachable at BENCH_POSTGRES_URL, not measured');
        continue;
      }
      process.stderr.write(`bench api: ${name}...\n`);
      const run = await runOnDatabase(settings, name, builtEntry);
      result.tables.push({
        title:
          `/api/v2 on ${name} (${settings.connections} connections; median of ${settings.rounds} rounds ` +
          `of ${settings.seconds} s, each beside a bare run)`,
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
      'both servers run the compiled JavaScript (tsc), as `npm start` runs the panel',
      'server µs, pg µs: CPU time per request of the server process and of all PostgreSQL processes, medians of the rounds ' +
        '(from /proc): which of the two a scenario costs, and is bound by',
    );
    return result;
  },
};
