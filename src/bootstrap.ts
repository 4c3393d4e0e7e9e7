import { type AppContext, createAppContext } from './app/context.js';
import { STANDARD_HASH_COST, TEST_HASH_COST, usePasswordHashCost } from './app/passwords.js';
import type { Config } from './config.js';
import { type Clock, systemClock } from './domain/clock.js';
import { paymentSettingsFrom } from './payments/payment-settings-from-config.js';
import { openStorage, type Storage } from './storage/connection.js';
import { migrateToLatest } from './storage/migrate.js';
import { loadTwoFactorKey } from './two-factor-key.js';
import { providerNetwork } from './upstream/provider-address.js';

export interface OpenedApp {
  readonly storage: Storage;
  readonly ctx: AppContext;
  close(): Promise<void>;
}

/** Opens the database named by the config, migrates it, and builds the use-case context. */
export async function openApp(
  config: Config,
  options: { clock?: Clock; migrate?: boolean } = {},
): Promise<OpenedApp> {
  usePasswordHashCost(config.passwordHashCost === 'test' ? TEST_HASH_COST : STANDARD_HASH_COST);
  const storage = openStorage(config.databaseUrl);
  try {
    if (options.migrate !== false) await migrateToLatest(storage);
  } catch (error) {
    await storage.close();
    throw error;
  }
  const ctx = createAppContext(
    storage,
    options.clock ?? systemClock,
    paymentSettingsFrom(config),
    providerNetwork(config.allowPrivateProviderUrls),
    loadTwoFactorKey(config),
  );
  return { storage, ctx, close: () => storage.close() };
}
