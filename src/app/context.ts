import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { ApiReads } from '../storage/api-reads.js';
import type { DatabaseKind, Storage } from '../storage/connection.js';
import { GroupCommit } from '../storage/group-commit.js';
import type { Database } from '../storage/schema.js';
import { DEFAULT_PROVIDER_NETWORK, type ProviderNetwork } from '../upstream/provider-address.js';
import { ApiKeyCache } from './api-key-cache.js';
import { DiscountCache } from './discount-cache.js';
import { NewWorkSignal } from './new-work-signal.js';
import { DEFAULT_PAYMENT_SETTINGS, type PaymentSettings } from './payment-settings.js';

/** What every use case needs: the database, the clock, and caches that are safe to share. */
export interface AppContext {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  readonly clock: Clock;
  readonly discounts: DiscountCache;
  /** What API key lookups found, dropped on every node when keys or accounts change. */
  readonly apiKeys: ApiKeyCache;
  /** The API's hot reads (balance, status), each checking the key in the same statement. */
  readonly apiReads: ApiReads;
  /** Short write transactions on the hot path (placing orders) share commits on SQLite. */
  readonly groupCommit: GroupCommit;
  /** How customers fund their balance: limits, the bank account, the card processor. */
  readonly payments: PaymentSettings;
  /** Wakes this process's worker when an order is placed. */
  readonly newWork: NewWorkSignal;
  /** Which addresses calls to upstream providers may reach, and how names are resolved. */
  readonly providerNetwork: ProviderNetwork;
  /** Seals the TOTP secrets in the database (TWO_FACTOR_KEY or the data directory's key file). */
  readonly twoFactorKey: Buffer;
}

/**
 * For contexts built without the configured key (tests, tools): one per process, so every
 * context of a process opens what another sealed, and no secret outlives the process.
 */
const PROCESS_TWO_FACTOR_KEY = randomBytes(32);

export function createAppContext(
  storage: Storage,
  clock: Clock,
  payments: PaymentSettings = DEFAULT_PAYMENT_SETTINGS,
  network: ProviderNetwork = DEFAULT_PROVIDER_NETWORK,
  twoFactorKey: Buffer = PROCESS_TWO_FACTOR_KEY,
): AppContext {
  return {
    db: storage.db,
    kind: storage.kind,
    clock,
    discounts: new DiscountCache(),
    apiKeys: new ApiKeyCache(storage.apiKeyChanges),
    apiReads: storage.apiReads,
    groupCommit: new GroupCommit(storage.db, storage.kind),
    payments,
    newWork: new NewWorkSignal(),
    providerNetwork: network,
    twoFactorKey,
  };
}
