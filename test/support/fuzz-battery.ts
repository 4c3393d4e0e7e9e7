import { Writable } from 'node:stream';
import pino from 'pino';
import type { AppContext } from '../../src/app/context.js';
import { createAccount } from '../../src/app/create-account.js';
import { placeOrder } from '../../src/app/place-order.js';
import { createService, type ServiceFields } from '../../src/app/save-service.js';
import { setAccountStatus } from '../../src/app/set-account-status.js';
import { type LedgerReport, verifyLedger } from '../../src/app/verify-ledger.js';
import { buildServer } from '../../src/http/server.js';
import { LIKES_SERVICE } from './api-server.js';
import { type FuzzAnswer, fuzzAgent, sendFuzzRequest } from './fuzz-client.js';
import { type FuzzRequest, type FuzzWorld, fuzzRequest } from './fuzz-requests.js';
import { judgeAnswer } from './fuzz-shapes.js';

/** A request the battery flags, written so it can be replayed: `fuzzRequest(seed, index, world)`. */
export interface FuzzFinding {
  index: number;
  label: string;
  reason: string;
  status?: number;
  answer: string;
  request: {
    method: string;
    path: string;
    headers: [string, string][];
    bodyBytes: number;
    bodyStart: string;
  };
}

export interface FuzzReport {
  seed: number;
  requests: number;
  elapsedMs: number;
  /** HTTP status (or `no answer`) → count. */
  statusCounts: Record<string, number>;
  serverErrors: FuzzFinding[];
  /** Reason → count, with the first few requests of each. */
  undocumented: Record<string, { count: number; examples: FuzzFinding[] }>;
  /** What GET and HEAD get today: issue 11 (contract §13) will settle them. */
  later: Record<string, number>;
  noAnswer: Record<string, number>;
  /** Error lines the server logged (its stack traces for 5xx). */
  serverLog: string[];
  ledger: LedgerReport;
}

/** Customers rich, poor and suspended, four services, and a few orders to ask about. */
export async function seedFuzzWorld(ctx: AppContext): Promise<FuzzWorld> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  const account = (name: string, units: number) =>
    createAccount(ctx, {
      email: `fuzz-${name}-${stamp}@example.com`,
      password: 'fuzz password of mine',
      openingBalanceUnits: units,
    });
  const [rich, poor, suspended, stranger] = [
    await account('rich', 100_000_000_000),
    await account('poor', 1_000),
    await account('suspended', 1_000_000),
    await account('stranger', 1_000_000_000),
  ];
  await setAccountStatus(ctx, { accountId: suspended.id, status: 'suspended', actor: 'fuzz' });
  const service = async (id: number, fields: Partial<ServiceFields>) =>
    (
      await createService(ctx, {
        id,
        fields: { ...LIKES_SERVICE, name: 'IG Likes', ...fields },
        actor: 'fuzz',
      })
    ).id;
  const services = {
    likes: await service(1017, {}),
    comments: await service(1018, {
      name: 'IG Comments',
      category: 'Comments',
      type: 'Custom Comments',
      minQuantity: 1,
      maxQuantity: 30,
    }),
    followers: await service(1019, {
      name: 'IG Followers',
      category: 'Followers',
      linkType: 'username',
      canCancel: false,
    }),
    inactive: await service(1020, { name: 'Old Likes', isActive: false }),
  };
  let orderIdMax = 0;
  for (let i = 0; i < 12; i += 1) {
    const accountId = i % 4 === 3 ? stranger.id : rich.id;
    const placed = await placeOrder(ctx, {
      accountId,
      serviceId: services.likes,
      link: 'https://www.instagram.com/p/SEEDED1/',
      quantity: 100 + i,
      comments: undefined,
    });
    orderIdMax = Math.max(orderIdMax, placed.orderId);
  }
  return {
    keys: { rich: rich.apiKey, poor: poor.apiKey, suspended: suspended.apiKey },
    services,
    orderIdMax,
  };
}

function finding(request: FuzzRequest, answer: FuzzAnswer, reason: string): FuzzFinding {
  return {
    index: request.index,
    label: request.label,
    reason,
    ...(answer.status === undefined ? {} : { status: answer.status }),
    answer: answer.body.subarray(0, 300).toString('utf8'),
    request: {
      method: request.method,
      path: request.path.slice(0, 2000),
      headers: request.headers.map(([name, value]) => [name, value.slice(0, 200)]),
      bodyBytes: (request.rawBytes ?? request.body).length,
      // Latin-1 shows every byte as one character, invalid UTF-8 included.
      bodyStart: (request.rawBytes ?? request.body).subarray(0, 2000).toString('latin1'),
    },
  };
}

const count = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export async function runFuzzBattery(
  ctx: AppContext,
  options: { seed: number; requests: number; concurrency: number; onProgress?: (done: number) => void },
): Promise<FuzzReport> {
  const serverLog: string[] = [];
  const logSink = new Writable({
    write(chunk, _encoding, done) {
      if (serverLog.length < 200) serverLog.push(String(chunk).slice(0, 4000));
      done();
    },
  });
  const app = await buildServer({ ctx, logger: pino({ level: 'error' }, logSink) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const world = await seedFuzzWorld(ctx);
  const agent = fuzzAgent(options.concurrency);
  const report: Omit<FuzzReport, 'ledger'> = {
    seed: options.seed,
    requests: 0,
    elapsedMs: 0,
    statusCounts: {},
    serverErrors: [],
    undocumented: {},
    later: {},
    noAnswer: {},
    serverLog,
  };
  const startedMs = Date.now();
  let next = 0;
  const work = async () => {
    while (next < options.requests) {
      const request = fuzzRequest(options.seed, next++, world);
      const answer = await sendFuzzRequest(address.port, agent, request);
      record(report, request, answer);
      if (options.onProgress && report.requests % 5000 === 0) options.onProgress(report.requests);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, work));
  } finally {
    agent.destroy();
    await app.close();
  }
  report.elapsedMs = Date.now() - startedMs;
  return { ...report, ledger: await verifyLedger(ctx) };
}

function record(report: Omit<FuzzReport, 'ledger'>, request: FuzzRequest, answer: FuzzAnswer): void {
  report.requests += 1;
  count(report.statusCounts, answer.status === undefined ? 'no answer' : String(answer.status));
  const verdict = judgeAnswer(request, answer);
  if (verdict.kind === 'server-error')
    report.serverErrors.push(finding(request, answer, `HTTP ${answer.status}`));
  if (verdict.kind === 'later') count(report.later, verdict.reason);
  if (verdict.kind === 'no-answer') count(report.noAnswer, `${request.label}: ${verdict.reason}`);
  if (verdict.kind === 'undocumented') {
    const group = report.undocumented[verdict.reason] ?? { count: 0, examples: [] };
    report.undocumented[verdict.reason] = group;
    group.count += 1;
    if (group.examples.length < 3) group.examples.push(finding(request, answer, verdict.reason));
  }
}
