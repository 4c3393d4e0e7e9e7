import { expect, it } from 'vitest';
import { ATTEMPT_WINDOW_MS } from '../src/app/password-attempts.js';
import { IDEMPOTENCY_WINDOW_MS } from '../src/app/place-order.js';
import { purgeExpiredRecords } from '../src/app/purge-expired-records.js';
import { SESSION_IDLE_MS } from '../src/app/web-session-tokens.js';
import { createCustomer } from './support/api-server.js';
import { describeEachDatabase, rowCount, type TestDatabase } from './support/databases.js';
import { testWorker } from './support/engine.js';

const EXPIRED_KEYS = 1_200;
const EXPIRED_SESSIONS = 1_100;
const OLD_ATTEMPTS = 700;
const BATCH = 500;

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await insert(rows.slice(i, i + 200));
}

/** A backlog of expired rows beside a few live ones, written in bulk as a long-running panel would hold them. */
async function seedBacklog(db: TestDatabase, accountId: number, tag: string): Promise<void> {
  const nowMs = db.clock.now();
  const keys = Array.from({ length: EXPIRED_KEYS + 10 }, (_, i) => ({
    account_id: accountId,
    idem_key: `${tag}-key-${i}`,
    request_hash: 'h',
    response_json: '{}',
    created_at: i < EXPIRED_KEYS ? nowMs - IDEMPOTENCY_WINDOW_MS - i : nowMs - 1_000,
  }));
  await inChunks(keys, (chunk) => db.storage.db.insertInto('idempotency_keys').values(chunk).execute());
  const sessions = Array.from({ length: EXPIRED_SESSIONS + 5 }, (_, i) => {
    const isExpired = i < EXPIRED_SESSIONS;
    // Half past their lifetime, half idle too long: both kinds go.
    const isIdle = isExpired && i % 2 === 0;
    return {
      token_hash: `${tag}-token-${i}`,
      account_id: accountId,
      csrf_token: 'c',
      created_at: nowMs - 1_000,
      expires_at: isExpired && !isIdle ? nowMs - 1 : nowMs + 86_400_000,
      last_seen_at: isIdle ? nowMs - SESSION_IDLE_MS - 1 : nowMs,
      ip: null,
      user_agent: null,
    };
  });
  await inChunks(sessions, (chunk) => db.storage.db.insertInto('web_sessions').values(chunk).execute());
  const attempts = Array.from({ length: OLD_ATTEMPTS + 3 }, (_, i) => ({
    email: `someone${i % 7}@example.com`,
    ip: '203.0.113.9',
    created_at: i < OLD_ATTEMPTS ? nowMs - ATTEMPT_WINDOW_MS - i : nowMs - 1_000,
  }));
  await inChunks(attempts, (chunk) => db.storage.db.insertInto('password_attempts').values(chunk).execute());
}

describeEachDatabase('purging expired rows', (db) => {
  it('deletes at most one batch per table per round until only live rows are left', async () => {
    const customer = await createCustomer(db());
    await seedBacklog(db(), customer.id, 'first');
    const rounds: Awaited<ReturnType<typeof purgeExpiredRecords>>[] = [];
    for (let round = 0; round < 10; round++) {
      const outcome = await purgeExpiredRecords(db().ctx, { batchRows: BATCH });
      rounds.push(outcome);
      expect(outcome.idempotencyKeys).toBeLessThanOrEqual(BATCH);
      expect(outcome.sessions).toBeLessThanOrEqual(BATCH);
      expect(outcome.passwordAttempts).toBeLessThanOrEqual(BATCH);
      if (!outcome.hasMore) break;
    }
    const total = (field: 'idempotencyKeys' | 'sessions' | 'passwordAttempts') =>
      rounds.reduce((sum, outcome) => sum + outcome[field], 0);
    expect(rounds.length).toBe(3);
    expect(total('idempotencyKeys')).toBe(EXPIRED_KEYS);
    expect(total('sessions')).toBe(EXPIRED_SESSIONS);
    expect(total('passwordAttempts')).toBe(OLD_ATTEMPTS);
    expect(await rowCount(db(), 'idempotency_keys')).toBe(10);
    expect(await rowCount(db(), 'web_sessions')).toBe(5);
    expect(await rowCount(db(), 'password_attempts')).toBe(3);
  });

  it('is run by the worker: a running worker drains the backlog batch by batch', async () => {
    const customer = await createCustomer(db());
    // The live rows of the test above stay, as these will.
    await seedBacklog(db(), customer.id, 'second');
    const worker = testWorker(db().ctx);
    worker.start();
    const deadline = Date.now() + 60_000;
    const isDrained = async () =>
      (await rowCount(db(), 'idempotency_keys')) === 20 &&
      (await rowCount(db(), 'web_sessions')) === 10 &&
      (await rowCount(db(), 'password_attempts')) === 6;
    while (!(await isDrained()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await worker.stop();
    expect(await rowCount(db(), 'idempotency_keys')).toBe(20);
    expect(await rowCount(db(), 'web_sessions')).toBe(10);
    expect(await rowCount(db(), 'password_attempts')).toBe(6);
  });
});
