import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createAppContext } from '../src/app/context.js';
import { openStorage } from '../src/storage/connection.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { binOf, useBuild } from './support/cli.js';
import { describeEachDatabase, rowCount } from './support/databases.js';
import { placeTestOrder } from './support/engine.js';

const run = promisify(execFile);

/** The built bin (test/support/cli.ts): what an operator runs, and a quarter of tsx's start-up cost. */
const build = useBuild();

/** `inspiria backup --to FILE` in a process of its own; resolves with its exit code and output. */
async function backup(databaseUrl: string, file: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [binOf(build()), 'backup', '--to', file], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describeEachDatabase('inspiria backup', (db) => {
  it('copies the live database consistently while orders keep being written', async () => {
    const file = join(tmpdir(), `inspiria-backup-${process.pid}-${Date.now()}.db`);
    const customer = await createCustomer(db(), 1_000_000_000);
    const service = await createTestService(db(), { backend: 'operator', minQuantity: 1 });
    let placed = 0;
    let isWriting = true;
    const writer = (async () => {
      while (isWriting) {
        await placeTestOrder(db().ctx, {
          accountId: customer.id,
          serviceId: service.id,
          link: `https://www.instagram.com/p/Backup${placed}/`,
          quantity: 10,
        });
        placed += 1;
        // A steady stream, leaving the machine's cores to the backup process too.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    while (placed < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const ordersBefore = await rowCount(db(), 'orders');
    const result = await backup(db().url, file);
    const ordersAfter = await rowCount(db(), 'orders');
    isWriting = false;
    await writer;

    if (db().name === 'postgres') {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('pg_dump');
      expect(existsSync(file)).toBe(false);
      return;
    }
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ backedUp: true, file });
    expect(ordersAfter).toBeGreaterThan(ordersBefore);
    const copy = openStorage(`sqlite:${file}`);
    try {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(copy.db);
      expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
      const copied = await copy.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      // A moment of the live database: every order then, none from later.
      expect(Number(copied.n)).toBeGreaterThanOrEqual(ordersBefore);
      expect(Number(copied.n)).toBeLessThanOrEqual(ordersAfter);
      // Every order's charge is there with it: the copy's ledger balances.
      await expectLedgerOk(createAppContext(copy, db().clock));
      // A second backup never overwrites the first.
      const again = await backup(db().url, file);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('exists already');
    } finally {
      await copy.close();
      rmSync(file, { force: true });
    }
  }, 120_000);
});
