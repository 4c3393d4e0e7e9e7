import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteReadTurn } from './sqlite-read-turn.js';

describe('sqliteReadTurn', () => {
  it('runs the reads of one turn in one read transaction, each answered or refused alone', async () => {
    const database = new SqliteDatabase(':memory:');
    const readInTurn = sqliteReadTurn(database);
    const fallback = () => Promise.reject(new Error('no transaction was open'));
    const seen: boolean[] = [];
    const read = (value: number) => () => {
      seen.push(database.inTransaction);
      return database.prepare('select ? as v').pluck().get(value);
    };
    const answers = await Promise.allSettled([
      readInTurn(read(1), fallback),
      readInTurn(() => database.prepare('select * from missing').get(), fallback),
      readInTurn(read(3), fallback),
    ]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : 'refused'))).toEqual([1, 'refused', 3]);
    expect(seen).toEqual([true, true]);
    expect(database.inTransaction).toBe(false);
    // Alone in its turn: no transaction around it.
    await readInTurn(read(4), fallback);
    expect(seen.at(-1)).toBe(false);
  });

  it('takes the fallback when the connection is inside a transaction of its own', async () => {
    const database = new SqliteDatabase(':memory:');
    const readInTurn = sqliteReadTurn(database);
    database.exec('begin');
    const answer = readInTurn(
      () => 'through the open transaction',
      async () => 'after the commit',
    );
    expect(await answer).toBe('after the commit');
    database.exec('commit');
  });

  it('waits while the last commit is being written to the disk, then reads', async () => {
    const database = new SqliteDatabase(':memory:');
    let finishSync = () => {};
    const commitSync = {
      isSyncing: true,
      whenSynced: () => new Promise<void>((resolve) => (finishSync = resolve)),
    };
    const readInTurn = sqliteReadTurn(database, commitSync);
    let isAnswered = false;
    const answer = readInTurn(
      () => 'read once durable',
      async () => 'fallback',
    ).then((value) => {
      isAnswered = true;
      return value;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(isAnswered).toBe(false);
    commitSync.isSyncing = false;
    finishSync();
    expect(await answer).toBe('read once durable');
  });

  it('refuses the reads of a turn on a closed connection instead of throwing out of the turn', async () => {
    const database = new SqliteDatabase(':memory:');
    const readInTurn = sqliteReadTurn(database);
    const reads = [1, 2].map((value) =>
      readInTurn(
        () => database.prepare('select ?').pluck().get(value),
        async () => value,
      ),
    );
    database.close();
    const answers = await Promise.allSettled(reads);
    expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
  });
});
