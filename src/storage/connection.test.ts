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

  const synchronousOf = async (options?: { isEachCommitFlushed: boolean }) => {
    const storage = openStorage(`sqlite:${file}`, options);
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(storage.db);
      return rows[0]?.synchronous;
    } finally {
      await storage.close();
    }
  };

  it('flushes every commit to the disk (synchronous=FULL) unless a test asks otherwise', async () => {
    expect(await synchronousOf()).toBe(2);
    expect(await synchronousOf({ isEachCommitFlushed: false })).toBe(1);
  });
});
