import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { DatabaseKind, Storage } from '../storage/connection.js';
import { GroupCommit } from '../storage/group-commit.js';
import type { Database } from '../storage/schema.js';
import { DiscountCache } from './discount-cache.js';
import { NewWorkSignal } from './new-work-signal.js';

/** What every use case needs: the database, the clock, and caches that are safe to share. */
export interface AppContext {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  readonly clock: Clock;
  readonly discounts: DiscountCache;
  /** Short write transactions on the hot path (placing orders) share commits on SQLite. */
  readonly groupCommit: GroupCommit;
  /** Wakes this process's worker when an order is placed. */
  readonly newWork: NewWorkSignal;
}

export function createAppContext(storage: Storage, clock: Clock): AppContext {
  return {
    db: storage.db,
    kind: storage.kind,
    clock,
    discounts: new DiscountCache(),
    groupCommit: new GroupCommit(storage.db, storage.kind),
    newWork: new NewWorkSignal(),
  };
}
