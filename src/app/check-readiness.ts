import type { Storage } from '../storage/connection.js';

export type { Storage };

import { pingDatabase } from '../storage/connection.js';
import { pendingMigrations } from '../storage/migrate.js';
import type { AppContext } from './context.js';

/** The worker in this process, as readiness sees it. */
export interface WorkerPulse {
  /** When it last finished a round (clock ms); undefined before the first. */
  readonly lastRoundAtMs: number | undefined;
  /** When it started (clock ms): a first round still running is not yet late. */
  readonly startedAtMs: number;
  /** A round older than this means the loop is stuck. */
  readonly staleAfterMs: number;
}

export interface Readiness {
  readonly isReady: boolean;
  readonly database: 'ok' | 'unreachable';
  readonly migrations: 'current' | 'pending' | 'unknown';
  readonly worker: 'ok' | 'stale' | 'not_in_this_process';
}

/**
 * What /readyz answers: the database answers, its schema has every migration this code
 * knows, and the worker running in this process (if one does) finished a round recently.
 * A node that fails it should be taken out of the load balancer, not restarted blindly.
 */
export async function checkReadiness(
  ctx: AppContext,
  options: { storage: Storage; worker?: WorkerPulse | undefined },
): Promise<Readiness> {
  let database: Readiness['database'] = 'ok';
  let migrations: Readiness['migrations'] = 'unknown';
  try {
    await pingDatabase(ctx.db);
    migrations = (await pendingMigrations(options.storage)).length === 0 ? 'current' : 'pending';
  } catch {
    database = 'unreachable';
  }
  const worker = workerState(ctx.clock.now(), options.worker);
  const isReady = database === 'ok' && migrations === 'current' && worker !== 'stale';
  return { isReady, database, migrations, worker };
}

function workerState(nowMs: number, pulse: WorkerPulse | undefined): Readiness['worker'] {
  if (!pulse) return 'not_in_this_process';
  const lastSignMs = pulse.lastRoundAtMs ?? pulse.startedAtMs;
  return nowMs - lastSignMs <= pulse.staleAfterMs ? 'ok' : 'stale';
}
