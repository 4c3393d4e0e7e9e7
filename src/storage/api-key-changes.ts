import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { loadPgDriver } from './drivers.js';
import { type ReadInTurn, sqliteReadTurn } from './sqlite-read-turn.js';

/**
 * Tells an API node's key cache whether what it remembers may have changed (migration 014's
 * triggers signal every such change). `stamp()` is synchronous and cheap: an entry cached under
 * one stamp is good while `stamp()` still returns it. `undefined` means nothing may be trusted
 * now (the PostgreSQL listener is not listening): every request then reads the database.
 */
export interface ApiKeyChanges {
  stamp(): number | undefined;
  /**
   * The stamp as `stamp()` gives it, read once this turn's requests have arrived: on SQLite
   * with the turn's other reads, in one read transaction (sqlite-read-turn.ts).
   */
  freshStamp(): Promise<number | undefined>;
  close(): Promise<void>;
}

/**
 * SQLite: several processes may share one file, and none is told of the others' commits; so
 * each request reads the one-row stamp, a prepared primary-key read of a page that stays in
 * the cache. Outside a transaction it sees the last commit; inside one of this connection's
 * (group commit interleaves its awaits with requests) it may see an uncommitted stamp: that
 * costs at worst a needless refill, as a rolled-back stamp is random and never reused.
 */
export function sqliteApiKeyChanges(
  database: SqliteDatabase.Database,
  readInTurn: ReadInTurn = sqliteReadTurn(database),
): ApiKeyChanges {
  let statement: SqliteDatabase.Statement | undefined;
  const stamp = () => {
    try {
      statement ??= database.prepare('select stamp from api_key_changes where id = 1').pluck();
      const value = statement.get();
      return typeof value === 'number' ? value : Number(value);
    } catch {
      // Not migrated yet (or the table is gone): nothing is cached.
      return undefined;
    }
  };
  return {
    stamp,
    // Inside this connection's transaction, the same read as stamp(), for the same reason.
    freshStamp: () => readInTurn(stamp, async () => stamp()),
    close: async () => {},
  };
}

const CHANNEL = 'inspiria_api_key_changes';
const RECONNECT_MS = 1_000;

/**
 * PostgreSQL: one dedicated client LISTENs; every notification moves the stamp, so the whole
 * cache is dropped (these changes are rare: an operator's or a customer's action). The client
 * connects on first use. While it is not listening, and from the moment it loses its
 * connection, the stamp is undefined; on reconnecting it starts from a new stamp, so nothing
 * cached before the gap is trusted after it.
 */
export function postgresApiKeyChanges(clientConfig: pg.ClientConfig): ApiKeyChanges {
  let generation = 0;
  let isListening = false;
  let isClosed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const lose = (lost: pg.Client) => {
    if (client !== lost) return;
    client = undefined;
    isListening = false;
    generation += 1;
    lost.end().catch(() => {});
    if (!isClosed) {
      retry = setTimeout(connect, RECONNECT_MS);
      retry.unref();
    }
  };

  function connect(): void {
    retry = undefined;
    if (isClosed || client) return;
    const fresh = new (loadPgDriver().Client)(clientConfig);
    client = fresh;
    fresh.on('notification', () => {
      generation += 1;
    });
    fresh.on('error', () => lose(fresh));
    fresh.on('end', () => lose(fresh));
    fresh
      .connect()
      .then(() => fresh.query(`listen ${CHANNEL}`))
      .then(() => {
        if (client !== fresh) return;
        generation += 1;
        isListening = true;
        // The listener must not keep a finished process alive.
        (
          fresh as unknown as { connection?: { stream?: { unref?: () => void } } }
        ).connection?.stream?.unref?.();
      })
      .catch(() => lose(fresh));
  }

  const stamp = () => {
    if (isListening) return generation;
    if (!client && !retry && !isClosed) connect();
    return undefined;
  };
  return {
    stamp,
    freshStamp: async () => stamp(),
    async close() {
      isClosed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      isListening = false;
      await current?.end().catch(() => {});
    },
  };
}
