import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from './connection.js';

describe('openStorage on SQLite', () => {
  const file = join(tmpdir(), `inspiria-connection-${process.pid}-${Date.now()}.db`);
  afterAll(() => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  });

  it('runs in WAL mode and flushes what it writes outside a transaction (synchronous=FULL)', async () => {
    const storage = openStorage(`sqlite:${file}`);
    try {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(storage.db);
      const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(storage.db);
      expect([mode.rows[0]?.journal_mode, synchronous.rows[0]?.synchronous]).toEqual(['wal', 2]);
    } finally {
      await storage.close();
    }
  });
});
