import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authenticateApiKey } from '../src/app/authenticate-api-key.js';
import { getBalance } from '../src/app/get-balance.js';
import { openStorage } from '../src/storage/connection.js';
import { expectCliFailure, useCli } from './support/cli.js';
import { describeEachDatabase, rowCount, type TestDatabase } from './support/databases.js';

async function counts(db: TestDatabase) {
  return {
    accounts: await rowCount(db, 'accounts'),
    services: await rowCount(db, 'services'),
    apiKeys: await rowCount(db, 'api_keys'),
    entries: await rowCount(db, 'ledger_entries'),
    audit: await rowCount(db, 'audit_log'),
  };
}

const LIKES = ['--name', 'IG Likes - Male+Female', '--category', 'Likes', '--link-type', 'post_url'];
const RANGE = ['--rate', '3.5', '--min', '25', '--max', '5000'];

describeEachDatabase('inspiria service', (db) => {
  const { cli: run, cliProcess: runProcess } = useCli(() => db().url);
  const cli = (...args: string[]) => run(args);
  /** A command in a process of its own: it also shows the process ends, with the command's exit code. */
  const cliProcess = (...args: string[]) => runProcess(args);

  it('create with an id prints the service; list shows it', async () => {
    const result = await cliProcess('service', 'create', ...LIKES, ...RANGE, '--id', '1017');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const likes = {
      id: 1017,
      name: 'IG Likes - Male+Female',
      category: 'Likes',
      type: 'Default',
      linkType: 'post_url',
      rate: '3.5000',
      min: 25,
      max: 5000,
      cancel: true,
      active: true,
      backend: 'operator',
      dripfeed: false,
    };
    expect(result.json).toEqual(likes);
    const list = await cli('service', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.json).toEqual([likes]);
  });

  it('service dripfeed turns drip-feed on and off, audited; a bad state is refused', async () => {
    const on = await cli('service', 'dripfeed', '1017', 'on');
    expect(on.code, on.stderr).toBe(0);
    expect(on.json).toMatchObject({ id: 1017, dripfeed: true });
    const audit = await db()
      .ctx.db.selectFrom('audit_log')
      .select('details_json')
      .where('action', '=', 'service.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details_json)).toEqual({
      serviceId: 1017,
      isDripfeed: { from: false, to: true },
    });
    const bad = await cli('service', 'dripfeed', '1017', 'maybe');
    expect(bad.code).not.toBe(0);
    const off = await cli('service', 'dripfeed', '1017', 'off');
    expect(off.json).toMatchObject({ id: 1017, dripfeed: false });
  });

  it('create without an id takes the next one; --type and --no-cancel are stored', async () => {
    const result = await cli(
      'service',
      'create',
      '--name',
      'IG Custom Comments',
      '--category',
      'Comments',
      '--link-type',
      'post_url',
      '--rate',
      '25.0001',
      '--min',
      '1',
      '--max',
      '500',
      '--type',
      'Custom Comments',
      '--no-cancel',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({
      id: 1018,
      type: 'Custom Comments',
      rate: '25.0001',
      cancel: false,
      min: 1,
      max: 500,
    });
    const row = await db()
      .storage.db.selectFrom('services')
      .selectAll()
      .where('id', '=', 1018)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      type: 'Custom Comments',
      can_cancel: 0,
      rate_units: 250_001,
      link_type: 'post_url',
    });
    const list = await cli('service', 'list');
    expect((list.json as { id: number }[]).map((service) => service.id)).toEqual([1018, 1017]);
  });

  it('create stores the descriptions in each language and prints them', async () => {
    const result = await cli(
      'service',
      'create',
      ...LIKES,
      ...RANGE,
      '--id',
      '1019',
      '--description-it',
      'Mi piace da profili reali.',
      '--description-en',
      'Likes from real profiles.',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({
      id: 1019,
      descriptionIt: 'Mi piace da profili reali.',
      descriptionEn: 'Likes from real profiles.',
    });
    const row = await db()
      .storage.db.selectFrom('services')
      .select(['description_it', 'description_en'])
      .where('id', '=', 1019)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      description_it: 'Mi piace da profili reali.',
      description_en: 'Likes from real profiles.',
    });
    const tooLong = await cli('service', 'create', ...LIKES, ...RANGE, '--description-en', 'x'.repeat(1001));
    expect(tooLong.code).not.toBe(0);
    expect(tooLong.stderr).toMatch(/a description may have at most 1000 characters/);
  });

  it.each([
    [[...LIKES, ...RANGE, '--id', '1017'], /^inspiria: service 1017 already exists$/m],
    [
      [...LIKES.slice(0, 4), '--link-type', 'story_url', ...RANGE],
      /link type must be post_url, reel_url or username/,
    ],
    [
      [...LIKES, '--rate', '3.5', '--min', '5000', '--max', '25'],
      /min and max must be whole numbers with 1 <= min <= max/,
    ],
    [
      [...LIKES, '--rate', '3.5', '--min', '0', '--max', '25'],
      /min and max must be whole numbers with 1 <= min <= max/,
    ],
    [[...LIKES, '--rate', '3.5', '--min', '2.5', '--max', '25'], /--min must be a whole number \(got 2\.5\)/],
    [
      [...LIKES, '--rate', '3.5', '--min', '25', '--max', 'lots'],
      /--max must be a whole number \(got lots\)/,
    ],
    [
      [...LIKES, '--rate', '3.12345', '--min', '25', '--max', '5000'],
      /--rate must be an amount in EUR with at most 4 decimals \(got 3\.12345\)/,
    ],
    [[...LIKES, '--rate', '-1', '--min', '25', '--max', '5000'], /rate must be zero or more/],
    [[...LIKES, ...RANGE, '--id', '0'], /service id must be a positive whole number/],
    [[...LIKES, ...RANGE, '--id', 'x1'], /--id must be a whole number \(got x1\)/],
    [[...LIKES, ...RANGE, '--type', 'Poll'], /--type must be "Default" or "Custom Comments"/],
    [
      ['--name', ' ', '--category', 'Likes', '--link-type', 'post_url', ...RANGE],
      /name must have 1 to 200 characters/,
    ],
    [[...LIKES, ...RANGE, '--backend', 'instagram'], /backend must be operator, simulator or upstream:NAME/],
    [[...LIKES, '--rate', '3.5', '--min', '25'], /required option '--max <n>' not specified/],
    [LIKES, /required option '--rate <eur>' not specified/],
    [
      ['--category', 'Likes', '--link-type', 'post_url', ...RANGE],
      /required option '--name <name>' not specified/,
    ],
  ])('create %j fails with a clear message and creates nothing', async (args, message) => {
    const before = await counts(db());
    expectCliFailure(await cli('service', 'create', ...args), message);
    expect(await counts(db())).toEqual(before);
  });

  it('an unknown command or option fails with a usage message', async () => {
    // One in a process of its own (it exits with the usage error's code); the rest in the host.
    expectCliFailure(await cliProcess('frobnicate'), /unknown command 'frobnicate'/);
    expectCliFailure(await cli('service', 'delete'), /unknown command 'delete'/);
    expectCliFailure(await cli('service', 'list', '--all'), /unknown option '--all'/);
  });
});

/** A database that exists but has never been migrated. */
async function freshDatabase(db: TestDatabase): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fresh_${randomBytes(6).toString('hex')}`;
  if (db.name === 'sqlite') {
    const file = join(tmpdir(), `inspiria-${name}.db`);
    return {
      url: `sqlite:${file}`,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  await sql`create schema ${sql.id(name)}`.execute(db.storage.db);
  return {
    url: `${db.url}${db.url.includes('?') ? '&' : '?'}schema=${name}`,
    drop: async () => {
      await sql`drop schema ${sql.id(name)} cascade`.execute(db.storage.db);
    },
  };
}

describeEachDatabase('inspiria migrate and demo', (db) => {
  const { cli, cliProcess, dataDir } = useCli(() => db().url, { dataDirPrefix: 'inspiria-demo-' });
  let fresh: { url: string; drop(): Promise<void> } | undefined;

  beforeAll(async () => {
    fresh = await freshDatabase(db());
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('migrate creates the schema on a fresh database, then is idempotent', async () => {
    const url = fresh?.url ?? '';
    const first = await cliProcess(['migrate'], url);
    expect(first.code, first.stderr).toBe(0);
    const { applied } = first.json as { migrated: true; applied: string[] };
    expect(first.json).toEqual({ migrated: true, applied: expect.arrayContaining(['001-initial']) });
    for (let run = 0; run < 2; run++) {
      const again = await cli(['migrate'], url);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json).toEqual({ migrated: true, applied: [] });
    }
    const storage = openStorage(url, { poolSize: 1 });
    try {
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        storage.db,
      );
      expect(migrations.rows.map((row) => row.name)).toEqual([...applied].sort());
      expect(await storage.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('demo seeds the admin, the demo user with a balance and a key, and the catalog', async () => {
    const result = await cliProcess(['demo']);
    expect(result.code, result.stderr).toBe(0);
    const password = expect.stringMatching(/^\S{8,}$/);
    expect(result.json).toEqual({
      seeded: true,
      // The demo admin has a second factor (admins need one): its key and recovery codes.
      admin: {
        email: 'admin@inspiria.demo',
        password,
        twoFactorSecret: expect.stringMatching(/^[A-Z2-7]{32}$/),
        recoveryCodes: Array.from({ length: 10 }, () =>
          expect.stringMatching(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/),
        ),
      },
      user: { email: 'demo@inspiria.demo', password, apiKey: expect.any(String) },
    });
    const { user } = result.json as { user: { apiKey: string } };
    const caller = await authenticateApiKey(db().ctx, { key: user.apiKey });
    expect(await getBalance(db().ctx, { accountId: caller.accountId })).toBe(1_000_000);
    const roles = await db()
      .storage.db.selectFrom('accounts')
      .select(['email', 'role', 'status'])
      .orderBy('email')
      .execute();
    expect(roles).toEqual([
      { email: 'admin@inspiria.demo', role: 'admin', status: 'active' },
      { email: 'demo@inspiria.demo', role: 'user', status: 'active' },
    ]);
    // The only copy of the plain credentials, readable by its owner only.
    const file = join(dataDir, 'demo-credentials.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      admin: (result.json as { admin: unknown }).admin,
      user,
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('the catalog is the page’s service 1017 and one service in each category', async () => {
    const list = await cli(['service', 'list']);
    expect(list.code, list.stderr).toBe(0);
    const service = (
      id: number,
      name: string,
      category: string,
      linkType: string,
      rate: string,
      min: number,
      max: number,
      type = 'Default',
    ) => ({
      id,
      name,
      category,
      type,
      linkType,
      rate,
      min,
      max,
      cancel: true,
      active: true,
      backend: 'simulator',
      dripfeed: false,
    });
    expect(list.json).toEqual([
      service(
        3,
        'IG Custom Comments - Italian',
        'Comments',
        'post_url',
        '25.0000',
        1,
        500,
        'Custom Comments',
      ),
      service(2, 'IG Followers - Real Italian', 'Followers', 'username', '6.9000', 50, 10_000),
      service(1017, 'IG Likes - Male+Female', 'Likes', 'post_url', '3.5000', 25, 5000),
      service(5, 'IG Reel Views', 'Reel views', 'reel_url', '0.5000', 100, 100_000),
      service(6, 'IG Saves', 'Saves', 'post_url', '1.2000', 50, 20_000),
      service(7, 'IG Shares', 'Shares', 'post_url', '1.5000', 50, 20_000),
      service(4, 'IG Story Views', 'Story views', 'username', '0.9000', 100, 50_000),
    ]);
  });

  it('demo a second time says so and creates nothing; the ledger verifies', async () => {
    const before = await counts(db());
    const credentials = readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8');
    const result = await cli(['demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toEqual({ seeded: false, message: 'demo data already present' });
    expect(await counts(db())).toEqual(before);
    expect(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')).toBe(credentials);
    const verify = await cli(['ledger', 'verify']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.json).toMatchObject({ ok: true, accounts: 2, entries: 1, totalBalance: '100.0000' });
  });

  it('migrate on an unreachable database fails with a clear message', async () => {
    // A SQLite file under a regular file; a PostgreSQL port nobody listens on.
    const notADirectory = join(dataDir, 'demo-credentials.json');
    const url =
      db().name === 'sqlite' ? `sqlite:${notADirectory}/x.db` : 'postgres://postgres@127.0.0.1:1/test';
    const result = await cliProcess(['migrate'], url);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      db().name === 'sqlite' ? /^inspiria: .*(not a directory|already exists)/ : /^inspiria: .*ECONNREFUSED/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
