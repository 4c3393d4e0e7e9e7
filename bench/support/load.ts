import autocannon from 'autocannon';
import { cpuMeterOf } from './process-cpu.js';

export interface LoadOptions {
  url: string;
  body: string;
  /** When set, each request's body instead (autocannon asks for one per request). */
  nextBody?: (() => string) | undefined;
  /** Each connection sends its next request once the previous one is answered. */
  connections: number;
  seconds: number;
  /** An unrecorded run first, so the server's JIT and caches are warm when measured. */
  warmupSeconds: number;
  /** The server's process, whose CPU (and PostgreSQL's) the measured run reports per request. */
  serverPid?: number | undefined;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Every one of these must be zero, or the figure measured something other than success. */
  non2xx: number;
  errors: number;
  timeouts: number;
  errorBodies: number;
  /** CPU µs per request of the measured run (process-cpu.ts), as report.ts's columns name it. */
  cpu?: { serverCpuUs: number; postgresCpuUs: number };
}

/**
 * The API answers logic errors with HTTP 200 and `{"error": ...}` (contract §2), so a 2xx
 * alone does not prove success: a body with an `"error"` key counts as a failure too.
 */
const hasNoError = (body: string) => !body.includes('"error"');

async function fire(options: LoadOptions, seconds: number) {
  return autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body,
    ...(options.nextBody
      ? { requests: [{ setupRequest: (request: object) => ({ ...request, body: options.nextBody?.() }) }] }
      : {}),
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    verifyBody: hasNoError,
  });
}

/** Loads one loopback URL for a bounded time; autocannon stops by itself after `seconds`. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(options.url)) throw new Error('benchmarks target loopback only');
  if (options.warmupSeconds > 0) await fire(options, options.warmupSeconds);
  const meter = cpuMeterOf(options.serverPid);
  meter.start();
  const result = await fire(options, options.seconds);
  const used = meter.stop();
  const perRequest = (us: number) => us / Math.max(1, result.requests.total);
  return {
    ...(used
      ? { cpu: { serverCpuUs: perRequest(used.serverUs), postgresCpuUs: perRequest(used.postgresUs) } }
      : {}),
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    errorBodies: result.mismatches,
  };
}

export function failuresOf(result: LoadResult): number {
  return result.non2xx + result.errors + result.timeouts + result.errorBodies;
}
