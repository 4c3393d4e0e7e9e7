import { expect, it, vi } from 'vitest';
import { authenticateApiKey } from '../src/app/authenticate-api-key.js';
import { createAccount } from '../src/app/create-account.js';
import { DomainError } from '../src/domain/errors.js';
import { expectCliFailure, useCli } from './support/cli.js';
import { describeEachDatabase, rowCount, type TestDatabase } from './support/databases.js';
import { enrolSecondFactor } from './support/two-factor.js';

/** Row counts of every table an account command may write: a failed command changes none. */
async function counts(db: TestDatabase) {
  const count = (table: 'accounts' | 'api_keys' | 'ledger_entries' | 'audit_log') => rowCount(db, table);
  const balances = await db.storage.db
    .selectFrom('accounts')
    .select(['id', 'balance_units', 'status'])
    .orderBy('id')
    .execute();
  return {
    accounts: await count('accounts'),
    apiKeys: await count('api_keys'),
    entries: await count('ledger_entries'),
    audit: await count('audit_log'),
    balances,
  };
}

async function accountRow(db: TestDatabase, email: string) {
  return db.storage.db
    .selectFrom('accounts')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}

async function ledgerOf(db: TestDatabase, accountId: number) {
  return db.storage.db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount_units', 'balance_after_units', 'reason', 'actor', 'order_id'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

/** The account's audit rows after its creation and key changes (checked on their own). */
async function auditOf(db: TestDatabase, accountId: number, actions: 'all' | 'changes' = 'changes') {
  const rows = await db.storage.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'details_json'])
    .where('target_account_id', '=', accountId)
    .$if(actions === 'changes', (query) => query.where('action', 'not in', ['account.create', 'account.key']))
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details_json) as Record<string, string> }));
}

async function authenticate(db: TestDatabase, key: string) {
  return authenticateApiKey(db.ctx, { key }).catch((error: unknown) => {
    if (error instanceof DomainError) return error.code;
    throw error;
  });
}

describeEachDatabase('inspiria account', (db) => {
  const { cli: run, cliProcess: runProcess } = useCli(() => db().url);
  const cli = (...args: string[]) => run(args);
  /** A command in a process of its own: it also shows the process ends, with the command's exit code. */
  const cliProcess = (...args: string[]) => runProcess(args);

  it('create prints the id, the normalised email and an API key that authenticates', async () => {
    const result = await cliProcess(
      'account',
      'create',
      '--email',
      ' Alice@Example.COM ',
      '--password',
      'a long password',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.json).toEqual({
      id: expect.any(Number),
      email: 'alice@example.com',
      apiKey: expect.any(String),
    });
    const { id, apiKey } = result.json as { id: number; apiKey: string };
    expect(await authenticate(db(), apiKey)).toEqual({ accountId: id, profile: 'inspiria' });
    const row = await accountRow(db(), 'alice@example.com');
    expect(row).toMatchObject({ id, role: 'user', status: 'active', balance_units: 0 });
    expect(await ledgerOf(db(), id)).toEqual([]);
  });

  it('create --admin --balance 12.5 makes an admin with an opening deposit in the ledger', async () => {
    const result = await cli(
      'account',
      'create',
      '--email',
      'boss@example.com',
      '--password',
      'a long password',
      '--admin',
      '--balance',
      '12.5',
    );
    expect(result.code, result.stderr).toBe(0);
    const { id } = result.json as { id: number };
    expect(await accountRow(db(), 'boss@example.com')).toMatchObject({
      role: 'admin',
      balance_units: 125_000,
    });
    expect((await auditOf(db(), id, 'all')).map((row) => [row.action, row.details])).toEqual([
      ['account.create', { email: 'boss@example.com', role: 'admin', openingBalance: '12.5000' }],
    ]);
    expect(await ledgerOf(db(), id)).toEqual([
      {
        kind: 'deposit',
        amount_units: 125_000,
        balance_after_units: 125_000,
        reason: 'opening balance',
        actor: expect.stringMatching(/^cli:/),
        order_id: null,
      },
    ]);
  });

  it('reset-2fa removes an account’s second factor and recovery codes, audited under the operator', async () => {
    const { id } = await createAccount(db().ctx, {
      email: 'lost-phone@example.com',
      password: 'a long password',
    });
    await enrolSecondFactor(db().ctx, id);
    const result = await cli('account', 'reset-2fa', '--email', 'LOST-PHONE@example.com');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toEqual({ id, email: 'lost-phone@example.com', hadTwoFactor: true });
    const left = (table: 'two_factor' | 'recovery_codes') =>
      db().storage.db.selectFrom(table).select('account_id').where('account_id', '=', id).execute();
    expect(await left('two_factor')).toEqual([]);
    expect(await left('recovery_codes')).toEqual([]);
    const audit = await auditOf(db(), id);
    expect(audit.map((row) => [row.action, row.details])).toEqual([
      ['account.two_factor_enable', {}],
      ['account.two_factor_reset', { hadTwoFactor: true }],
    ]);
    expect(audit[1]?.actor).toMatch(/^cli:/);
    expectCliFailure(
      await cli('account', 'reset-2fa', '--email', 'nobody@example.com'),
      /no account with email/,
    );
  });

  it.each([
    [['--email', 'alice@example.com', '--password', 'another password'], /email already registered/],
    [['--email', 'ALICE@example.com', '--password', 'another password'], /email already registered/],
    [['--email', 'not-an-email', '--password', 'a long password'], /invalid email address/],
    [['--email', 'short@example.com', '--password', 'short'], /password must have at least 10 characters/],
    [['--email', 'weak@example.com', '--password', 'password1234'], /password too easy to guess/],
    [
      ['--email', 'c@example.com', '--password', 'a long password', '--balance', '1.23456'],
      /--balance must be an amount in EUR with at most 4 decimals \(got 1\.23456\)/,
    ],
    [
      ['--email', 'c@example.com', '--password', 'a long password', '--balance', 'abc'],
      /--balance must be an amount in EUR/,
    ],
    [
      ['--email', 'c@example.com', '--password', 'a long password', '--balance', '-1'],
      /--balance must not be negative/,
    ],
    [['--email', 'c@example.com'], /required option '--password <password>' not specified/],
    [['--password', 'a long password'], /required option '--email <email>' not specified/],
  ])('create %j fails with a clear message and creates nothing', async (args, message) => {
    const before = await counts(db());
    expectCliFailure(await cli('account', 'create', ...args), message);
    expect(await counts(db())).toEqual(before);
  });

  it('key regenerates the key: the old one stops working at once, the new one works', async () => {
    const created = await cli(
      'account',
      'create',
      '--email',
      'keys@example.com',
      '--password',
      'a long password',
    );
    const { id, apiKey: oldKey } = created.json as { id: number; apiKey: string };
    const result = await cli('account', 'key', '--email', 'KEYS@example.com');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toEqual({ id, email: 'keys@example.com', apiKey: expect.any(String) });
    const newKey = (result.json as { apiKey: string }).apiKey;
    expect(newKey).not.toBe(oldKey);
    expect(await authenticate(db(), oldKey)).toBe('unauthorized');
    expect(await authenticate(db(), newKey)).toMatchObject({ accountId: id });
    const audit = await auditOf(db(), id, 'all');
    expect(audit.map((row) => [row.action, row.details])).toEqual([
      ['account.create', { email: 'keys@example.com', role: 'user', openingBalance: '0.0000' }],
      ['account.key', { prefix: newKey.slice(0, 10) }],
    ]);
  });

  it('key for an unknown email fails and changes nothing', async () => {
    const before = await counts(db());
    expectCliFailure(
      await cliProcess('account', 'key', '--email', 'nobody@example.com'),
      /^inspiria: no account with email nobody@example.com$/m,
    );
    expectCliFailure(await cli('account', 'key'), /required option '--email <email>' not specified/);
    expect(await counts(db())).toEqual(before);
  });

  it('credit and debit are ledger entries with the reason, and audit rows naming the operator', async () => {
    const created = await cli(
      'account',
      'create',
      '--email',
      'money@example.com',
      '--password',
      'a long password',
    );
    const { id } = created.json as { id: number };
    const credit = await cli(
      'account',
      'credit',
      '--email',
      'money@example.com',
      '--amount',
      '10.5',
      '--reason',
      'bank transfer 123',
    );
    expect(credit.code, credit.stderr).toBe(0);
    expect(credit.json).toEqual({
      id,
      email: 'money@example.com',
      balanceBefore: '0.0000',
      balance: '10.5000',
    });
    const debit = await cli(
      'account',
      'credit',
      '--email',
      'money@example.com',
      '--amount',
      '-3.2501',
      '--reason',
      'chargeback 9',
    );
    expect(debit.code, debit.stderr).toBe(0);
    expect(debit.json).toEqual({
      id,
      email: 'money@example.com',
      balanceBefore: '10.5000',
      balance: '7.2499',
    });
    const actor = expect.stringMatching(/^cli:.+/);
    expect(await ledgerOf(db(), id)).toEqual([
      {
        kind: 'deposit',
        amount_units: 105_000,
        balance_after_units: 105_000,
        reason: 'bank transfer 123',
        actor,
        order_id: null,
      },
      {
        kind: 'adjustment',
        amount_units: -32_501,
        balance_after_units: 72_499,
        reason: 'chargeback 9',
        actor,
        order_id: null,
      },
    ]);
    const audit = await auditOf(db(), id);
    expect(audit.map(({ actor: who, action, details }) => ({ who, action, details }))).toEqual([
      {
        who: actor,
        action: 'account.credit',
        details: {
          amount: '10.5000',
          balanceBefore: '0.0000',
          balanceAfter: '10.5000',
          reason: 'bank transfer 123',
        },
      },
      {
        who: actor,
        action: 'account.debit',
        details: {
          amount: '-3.2501',
          balanceBefore: '10.5000',
          balanceAfter: '7.2499',
          reason: 'chargeback 9',
        },
      },
    ]);
    expect((await accountRow(db(), 'money@example.com')).balance_units).toBe(72_499);
  });

  it('a debit down to exactly zero works; one below zero fails and leaves the balance unchanged', async () => {
    await cli(
      'account',
      'create',
      '--email',
      'zero@example.com',
      '--password',
      'a long password',
      '--balance',
      '2',
    );
    const before = await counts(db());
    expectCliFailure(
      await cli(
        'account',
        'credit',
        '--email',
        'zero@example.com',
        '--amount',
        '-2.0001',
        '--reason',
        'too much',
      ),
      /^inspiria: a debit of 2\.0001 EUR would take the balance of 2\.0000 EUR below zero; nothing changed$/m,
    );
    expect(await counts(db())).toEqual(before);
    const exact = await cli(
      'account',
      'credit',
      '--email',
      'zero@example.com',
      '--amount',
      '-2',
      '--reason',
      'refund by bank',
    );
    expect(exact.code, exact.stderr).toBe(0);
    expect(exact.json).toMatchObject({ balanceBefore: '2.0000', balance: '0.0000' });
    expectCliFailure(
      await cli('account', 'credit', '--email', 'zero@example.com', '--amount', '-0.0001', '--reason', 'x'),
      /below zero/,
    );
    expect((await accountRow(db(), 'zero@example.com')).balance_units).toBe(0);
  });

  it.each([
    [
      ['--amount', '1.23456', '--reason', 'r'],
      /--amount must be an amount in EUR with at most 4 decimals \(got 1\.23456\)/,
    ],
    [
      ['--amount', 'abc', '--reason', 'r'],
      /--amount must be an amount in EUR with at most 4 decimals \(got abc\)/,
    ],
    [['--amount', '1e3', '--reason', 'r'], /--amount must be an amount in EUR/],
    [['--amount', '10,5', '--reason', 'r'], /--amount must be an amount in EUR/],
    [['--amount', '', '--reason', 'r'], /--amount must be an amount in EUR/],
    [['--amount', '0', '--reason', 'r'], /the amount must be a non-zero number of EUR/],
    [['--amount', '100000000000.0001', '--reason', 'r'], /--amount must be an amount in EUR/],
    [['--amount', '5', '--reason', '   '], /a reason is required/],
    [['--amount', '5'], /required option '--reason <text>' not specified/],
    [['--reason', 'r'], /required option '--amount <eur>' not specified/],
  ])('credit %j fails with a clear message and changes nothing', async (args, message) => {
    const before = await counts(db());
    expectCliFailure(await cli('account', 'credit', '--email', 'money@example.com', ...args), message);
    expect(await counts(db())).toEqual(before);
  });

  it('credit for an unknown email fails and changes nothing', async () => {
    const before = await counts(db());
    expectCliFailure(
      await cli('account', 'credit', '--email', 'ghost@example.com', '--amount', '5', '--reason', 'r'),
      /^inspiria: no account with email ghost@example.com$/m,
    );
    expect(await counts(db())).toEqual(before);
  });

  it('suspend refuses the account from the next request; unsuspend lets it back; both are audited', async () => {
    const created = await cli(
      'account',
      'create',
      '--email',
      'sus@example.com',
      '--password',
      'a long password',
    );
    const { id, apiKey } = created.json as { id: number; apiKey: string };
    const suspend = await cli('account', 'suspend', '--email', 'sus@example.com');
    expect(suspend.code, suspend.stderr).toBe(0);
    expect(suspend.json).toEqual({ id, email: 'sus@example.com', status: 'suspended' });
    expect(await authenticate(db(), apiKey)).toBe('account_suspended');
    const unsuspend = await cli('account', 'unsuspend', '--email', 'sus@example.com');
    expect(unsuspend.code, unsuspend.stderr).toBe(0);
    expect(unsuspend.json).toEqual({ id, email: 'sus@example.com', status: 'active' });
    // The CLI is another process: on PostgreSQL its change reaches this process's key cache by
    // LISTEN/NOTIFY, a moment after the command returns (api-key-cache.test.ts measures it).
    await vi.waitFor(async () => expect(await authenticate(db(), apiKey)).toMatchObject({ accountId: id }), {
      timeout: 5_000,
    });
    expect((await auditOf(db(), id)).map((row) => [row.action, row.details])).toEqual([
      ['account.suspend', { status: { from: 'active', to: 'suspended' } }],
      ['account.unsuspend', { status: { from: 'suspended', to: 'active' } }],
    ]);
  });

  it('suspend and unsuspend of an unknown email fail and change nothing', async () => {
    const before = await counts(db());
    for (const command of ['suspend', 'unsuspend']) {
      expectCliFailure(
        await cli('account', command, '--email', 'ghost@example.com'),
        /no account with email ghost@example.com/,
      );
    }
    expectCliFailure(await cli('account', 'suspend'), /required option '--email <email>' not specified/);
    expect(await counts(db())).toEqual(before);
  });

  it('profile sets the API compatibility profile, kept across a key regeneration, audited', async () => {
    const created = await cli(
      'account',
      'create',
      '--email',
      'pp@example.com',
      '--password',
      'a long password',
    );
    const { id, apiKey } = created.json as { id: number; apiKey: string };
    expect(await authenticate(db(), apiKey)).toMatchObject({ accountId: id, profile: 'inspiria' });
    const set = await cli('account', 'profile', '--email', 'PP@example.com', '--profile', 'perfectpanel');
    expect(set.code, set.stderr).toBe(0);
    expect(set.json).toEqual({
      id,
      email: 'pp@example.com',
      profileBefore: 'inspiria',
      profile: 'perfectpanel',
    });
    // Another process's change: on PostgreSQL it reaches this process's key cache by NOTIFY.
    await vi.waitFor(
      async () => expect(await authenticate(db(), apiKey)).toMatchObject({ profile: 'perfectpanel' }),
      {
        timeout: 5_000,
      },
    );
    const newKey = ((await cli('account', 'key', '--email', 'pp@example.com')).json as { apiKey: string })
      .apiKey;
    expect(await authenticate(db(), newKey)).toMatchObject({ profile: 'perfectpanel' });
    // The same profile again changes nothing and writes no audit row.
    expect(
      (await cli('account', 'profile', '--email', 'pp@example.com', '--profile', 'perfectpanel')).code,
    ).toBe(0);
    const back = await cli('account', 'profile', '--email', 'pp@example.com', '--profile', 'inspiria');
    expect(back.json).toMatchObject({ profileBefore: 'perfectpanel', profile: 'inspiria' });
    const audit = await auditOf(db(), id);
    expect(audit.map((row) => [row.action, row.details])).toEqual([
      ['account.api_profile', { profile: { from: 'inspiria', to: 'perfectpanel' } }],
      ['account.api_profile', { profile: { from: 'perfectpanel', to: 'inspiria' } }],
    ]);
    expect(audit.every((row) => row.actor.startsWith('cli'))).toBe(true);
  });

  it('profile refuses an unknown profile or email and changes nothing', async () => {
    await cli('account', 'create', '--email', 'pp2@example.com', '--password', 'a long password');
    const before = await counts(db());
    expectCliFailure(
      await cli('account', 'profile', '--email', 'pp2@example.com', '--profile', 'smartpanel'),
      /--profile must be inspiria or perfectpanel \(got smartpanel\)/,
    );
    expectCliFailure(
      await cli('account', 'profile', '--email', 'ghost@example.com', '--profile', 'perfectpanel'),
      /no account with email ghost@example.com/,
    );
    expect(await counts(db())).toEqual(before);
  });
});
