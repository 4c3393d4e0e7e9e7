import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCustomer, createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { useCli } from './support/cli.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder, readOrder } from './support/engine.js';
import { FakeProvider } from './support/fake-provider.js';

const KEY = 'cli-upstream-secret-987654321';

describeEachDatabase('engine CLI', (db) => {
  const provider = new FakeProvider(KEY);
  const { cli, cliProcess } = useCli(() => db().url);

  beforeAll(async () => {
    await provider.start();
    provider.services = [
      {
        service: 5,
        name: 'Likes',
        type: 'Default',
        category: 'Likes',
        rate: '0.5',
        min: '10',
        max: '1000',
        cancel: false,
      },
    ];
  });
  afterAll(() => provider.stop());

  it('provider add, list, balance and import never print the key', async () => {
    const added = await cli(['provider', 'add', '--name', 'cliup', '--url', provider.url, '--key', KEY]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.json).toEqual({ name: 'cliup', url: provider.url, key: 'cli-…', backend: 'upstream:cliup' });
    const again = await cli(['provider', 'add', '--name', 'cliup', '--url', provider.url, '--key', KEY]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
    const list = await cliProcess(['provider', 'list']);
    expect(list.json).toEqual([added.json]);
    const balance = await cli(['provider', 'balance', '--name', 'cliup']);
    expect(balance.json).toEqual({ name: 'cliup', balance: '123.4567', currency: 'EUR' });
    const imported = await cli(['provider', 'import', '--provider', 'cliup', '--markup', '30']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json).toMatchObject({ provider: 'cliup', updated: [], skipped: [] });
    const badMarkup = await cliProcess(['provider', 'import', '--provider', 'cliup', '--markup', '-3']);
    expect(badMarkup.code).not.toBe(0);
    for (const result of [added, again, list, balance, imported, badMarkup]) {
      expect(result.stdout + result.stderr).not.toContain(KEY);
    }
  });

  it('order progress and order fail work the operator queue', async () => {
    const customer = await createCustomer(db(), 10_000_000);
    await createTestService(db(), { minQuantity: 1 }, 801);
    const orderId = await placeTestOrder(db().ctx, {
      accountId: customer.id,
      serviceId: 801,
      link: 'https://www.instagram.com/p/CliOrder01/',
      quantity: 1000,
    });
    const progress = await cliProcess([
      'order',
      'progress',
      '--order',
      String(orderId),
      '--delivered',
      '100',
      '--start-count',
      '55',
    ]);
    expect(progress.code, progress.stderr).toBe(0);
    expect(progress.json).toEqual({
      orderId,
      status: 'In progress',
      startCount: 55,
      remains: 900,
      failedAttempts: 0,
    });
    for (let i = 0; i < 5; i++)
      expect((await cli(['order', 'fail', '--order', String(orderId)])).code).toBe(0);
    // 35000 × 900/1000 × 0.5
    expect(await readOrder(db().ctx, orderId)).toMatchObject({ status: 'Partial', refunded_units: 15_750 });
    const late = await cliProcess(['order', 'fail', '--order', String(orderId)]);
    expect(late.code).not.toBe(0);
    expect(late.stderr).toMatch(/status is partial/);
    const missing = await cli(['order', 'progress', '--order', '999999', '--delivered', '1']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/);
    await expectLedgerOk(db().ctx);
  });
});
