import { purgedRows } from '../observability/metrics.js';
import {
  purgeIdempotencyRecords,
  purgePasswordAttempts,
  purgeSessions,
} from '../storage/purge-repository.js';
import type { AppContext } from './context.js';
import { ATTEMPT_WINDOW_MS } from './password-attempts.js';
import { IDEMPOTENCY_WINDOW_MS } from './place-order.js';
import { SESSION_IDLE_MS } from './web-session-tokens.js';

/** Small enough that one delete is a short transaction even on a slow disk. */
export const PURGE_BATCH_ROWS = 500;

export interface PurgeOutcome {
  idempotencyKeys: number;
  sessions: number;
  passwordAttempts: number;
  /** Some table gave a whole batch: more may be waiting, so the next purge should come soon. */
  hasMore: boolean;
}

/**
 * One round of housekeeping, run by the worker: at most `batchRows` rows of each table whose
 * rows only ever expire. Idempotency records past their 24 hours answer nothing any more
 * (place-order.ts); sessions past their lifetime or idle time are refused already
 * (resolve-web-session.ts); password attempts outside the window no longer count.
 */
export async function purgeExpiredRecords(
  ctx: AppContext,
  options: { batchRows?: number } = {},
): Promise<PurgeOutcome> {
  const limit = options.batchRows ?? PURGE_BATCH_ROWS;
  const nowMs = ctx.clock.now();
  const idempotencyKeys = await purgeIdempotencyRecords(ctx.db, {
    createdBeforeMs: nowMs - IDEMPOTENCY_WINDOW_MS,
    limit,
  });
  const sessions = await purgeSessions(ctx.db, { nowMs, idleSinceMs: nowMs - SESSION_IDLE_MS, limit });
  const passwordAttempts = await purgePasswordAttempts(ctx.db, {
    createdBeforeMs: nowMs - ATTEMPT_WINDOW_MS,
    limit,
  });
  purgedRows.inc({ table: 'idempotency_keys' }, idempotencyKeys);
  purgedRows.inc({ table: 'web_sessions' }, sessions);
  purgedRows.inc({ table: 'password_attempts' }, passwordAttempts);
  const hasMore = [idempotencyKeys, sessions, passwordAttempts].some((count) => count >= limit);
  return { idempotencyKeys, sessions, passwordAttempts, hasMore };
}
