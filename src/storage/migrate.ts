import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Storage } from './connection.js';
import { initialMigration } from './migrations/001-initial.js';
import { engineMigration } from './migrations/002-engine.js';
import { webSessionsMigration } from './migrations/003-web-sessions.js';
import { adminIndexesMigration } from './migrations/004-admin-indexes.js';
import { paymentsMigration } from './migrations/005-payments.js';
import { passwordAttemptsMigration } from './migrations/006-password-attempts.js';
import { sessionActivityMigration } from './migrations/007-session-activity.js';
import { apiProfileMigration } from './migrations/008-api-profile.js';
import { emailAccountsMigration } from './migrations/009-email-accounts.js';
import { twoFactorMigration } from './migrations/010-two-factor.js';
import { dripFeedMigration } from './migrations/011-drip-feed.js';
import { orderPageMigration } from './migrations/012-order-page.js';
import { purgeIndexesMigration } from './migrations/013-purge-indexes.js';
import { apiKeyChangesMigration } from './migrations/014-api-key-changes.js';
import { supportDeskMigration } from './migrations/015-support-desk.js';
import { providerSyncMigration } from './migrations/016-provider-sync.js';
import { businessSummariesMigration } from './migrations/017-business-summaries.js';
import { dropReportIndexMigration } from './migrations/019-drop-report-index.js';
import { statementSummaryTriggersMigration } from './migrations/020-statement-summary-triggers.js';
import { statusWireMigration } from './migrations/021-status-wire.js';
import { serviceChangesMigration } from './migrations/022-service-changes.js';
import { partialIndexesMigration } from './migrations/023-partial-indexes.js';
import { orderStatusStampsMigration } from './migrations/024-order-status-stamps.js';

/** The one list of migrations; each is written once and serves both databases. */
function migrations(storage: Storage): Record<string, Migration> {
  return {
    '001-initial': initialMigration(storage.kind),
    '002-engine': engineMigration(storage.kind),
    '003-web-sessions': webSessionsMigration(storage.kind),
    '004-admin-indexes': adminIndexesMigration(),
    '005-payments': paymentsMigration(storage.kind),
    '006-password-attempts': passwordAttemptsMigration(storage.kind),
    '007-session-activity': sessionActivityMigration(),
    '008-api-profile': apiProfileMigration(),
    '013-purge-indexes': purgeIndexesMigration(),
    '014-api-key-changes': apiKeyChangesMigration(storage.kind),
    '010-two-factor': twoFactorMigration(),
    '011-drip-feed': dripFeedMigration(),
    '015-support-desk': supportDeskMigration(storage.kind),
    '009-email-accounts': emailAccountsMigration(storage.kind),
    '012-order-page': orderPageMigration(),
    '016-provider-sync': providerSyncMigration(),
    '017-business-summaries': businessSummariesMigration(storage.kind),
    '019-drop-report-index': dropReportIndexMigration(),
    '020-statement-summary-triggers': statementSummaryTriggersMigration(storage.kind),
    '021-status-wire': statusWireMigration(storage.kind),
    '022-service-changes': serviceChangesMigration(storage.kind),
    '023-partial-indexes': partialIndexesMigration(),
    '024-order-status-stamps': orderStatusStampsMigration(storage.kind),
  };
}

export async function migrateToLatest(storage: Storage): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(storage) };
  const migrator = new Migrator({
    db: storage.db,
    provider,
    // Several people add migrations at once; each is independent of the others' order.
    allowUnorderedMigrations: true,
    ...(storage.schema ? { migrationTableSchema: storage.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The migrations this code knows that the database has not run: empty when the schema is
 * current. One read of Kysely's own table, cheap enough for every readiness probe.
 */
export async function pendingMigrations(storage: Storage): Promise<string[]> {
  const table = storage.schema ? sql.id(storage.schema, 'kysely_migration') : sql.id('kysely_migration');
  const applied = await sql<{ name: string }>`select name from ${table}`.execute(storage.db);
  const done = new Set(applied.rows.map((row) => row.name));
  return Object.keys(migrations(storage)).filter((name) => !done.has(name));
}
