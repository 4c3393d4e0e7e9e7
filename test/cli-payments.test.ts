import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { findAccountById } from '../src/storage/accounts-repository.js';
import { findPaymentById } from '../src/storage/payments-repository.js';
import { expectLedgerOk } from './support/api-state.js';
import { expectCliFailure, useCli } from './support/cli.js';
import { describeEachDatabase, rowCount } from './support/databases.js';
import { camtStatement, pendingTransfer } from './support/payments-world.js';

describeEachDatabase('CLI payments', (db) => {
  const { cli, cliProcess, dataDir } = useCli(() => db().url, { dataDirPrefix: 'inspiria-cli-payments-' });
  let accountId = 0;
  const email = `payer-${Date.now().toString(36)}@example.com`;

  beforeAll(async () => {
    accountId = (await createAccount(db().ctx, { email, password: 'long enough pw' })).id;
  });
  const balance = async () => Number((await findAccountById(db().ctx.db, accountId))?.balance_units);

  it('lists payments with filters, as JSON', async () => {
    const payment = await pendingTransfer(db().ctx, accountId, 250_000);
    const listed = await cli([
      'payment',
      'list',
      '--status',
      'pending',
      '--method',
      'bank_transfer',
      '--search',
      payment.reference,
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json).toMatchObject({
      total: 1,
      payments: [
        {
          id: payment.id,
          reference: payment.reference,
          email,
          method: 'bank_transfer',
          status: 'pending',
          amount: '25.0000',
          credited: '0.0000',
        },
      ],
    });
    expectCliFailure(await cli(['payment', 'list', '--status', 'paid']), /--status must be one of pending/);
  });

  it('confirms a transfer once with the amount received, and rejects another', async () => {
    const payment = await pendingTransfer(db().ctx, accountId, 500_000);
    const before = await balance();
    const confirmed = await cli([
      'payment',
      'confirm',
      '--reference',
      payment.reference.toLowerCase(),
      '--amount',
      '49.5',
      '--note',
      'bank fee',
    ]);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.json).toMatchObject({
      reference: payment.reference,
      status: 'succeeded',
      credited: '49.5000',
    });
    expect(await balance()).toBe(before + 495_000);
    const twice = await cli(['payment', 'confirm', '--reference', payment.reference, '--amount', '50']);
    expectCliFailure(
      twice,
      new RegExp(`payment ${payment.reference} is succeeded, not pending; nothing changed`),
    );
    expect(await balance()).toBe(before + 495_000);

    const other = await pendingTransfer(db().ctx, accountId, 100_000);
    const rejected = await cli(['payment', 'reject', '--reference', other.reference, '--note', 'never came']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.json).toMatchObject({ reference: other.reference, status: 'failed' });
    expect((await findPaymentById(db().ctx.db, other.id))?.status).toBe('failed');
    await expectLedgerOk(db());
  });

  it('refuses an unknown reference or a bad amount with a message, changing nothing', async () => {
    const entries = await rowCount(db(), 'ledger_entries');
    expectCliFailure(
      await cli(['payment', 'confirm', '--reference', 'INSP-ZZZZZZ', '--amount', '10']),
      /no bank transfer with reference INSP-ZZZZZZ/,
    );
    expectCliFailure(
      await cli(['payment', 'reject', '--reference', 'nope']),
      /no bank transfer with reference nope/,
    );
    const payment = await pendingTransfer(db().ctx, accountId, 100_000);
    expectCliFailure(
      await cli(['payment', 'confirm', '--reference', payment.reference, '--amount', 'abc']),
      /--amount must be an amount in EUR/,
    );
    expectCliFailure(
      await cli(['payment', 'confirm', '--reference', payment.reference, '--amount', '0']),
      /--amount must be above zero/,
    );
    expect(await rowCount(db(), 'ledger_entries')).toBe(entries);
  });

  it('imports a statement, and the same file again credits nothing', async () => {
    const payment = await pendingTransfer(db().ctx, accountId, 300_000);
    const file = join(dataDir, `statement-${db().name}.xml`);
    writeFileSync(
      file,
      camtStatement([
        { amount: '30.00', remittance: payment.reference },
        { amount: '5.00', remittance: 'no reference here' },
      ]),
    );
    const before = await balance();
    const first = await cliProcess(['payment', 'import-statement', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({
      credited: '30.0000',
      entries: [
        { amount: '30.0000', reference: payment.reference, paymentId: payment.id, outcome: 'credited' },
        { amount: '5.0000', outcome: 'no_reference' },
      ],
    });
    const second = await cli(['payment', 'import-statement', file]);
    expect(second.json).toMatchObject({
      credited: '0.0000',
      entries: [{ outcome: 'already_imported' }, { outcome: 'already_imported' }],
    });
    expect(await balance()).toBe(before + 300_000);
    const broken = join(dataDir, 'broken.xml');
    writeFileSync(broken, '<Document>');
    expectCliFailure(
      await cliProcess(['payment', 'import-statement', broken]),
      /not a readable CAMT.053 statement/,
    );
    expectCliFailure(await cli(['payment', 'import-statement', join(dataDir, 'missing.xml')]), /cannot read/);
  });
});
