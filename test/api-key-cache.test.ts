import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashApiKey } from '../src/app/api-key-secrets.js';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { regenerateApiKey } from '../src/app/regenerate-api-key.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { setApiProfile } from '../src/app/set-api-profile.js';
import { findAccountByActiveKeyHash } from '../src/storage/accounts-repository.js';
import { startApiNodeProcess } from './support/api-node-child.js';
import { callApi, createCustomer, startServer } from './support/api-server.js';
import { describeEachDatabase, TEST_PROVIDER_NETWORK, type TestDatabase } from './support/databases.js';

interface ApiNode {
  ctx: AppContext;
  baseUrl: string;
  stop(): Promise<void>;
}

const balanceOf = (node: { baseUrl: string }, key: string) =>
  callApi(node.baseUrl, { key, action: 'balance' });

/** The actions a reseller's panel sends all day: two check the key in their own read, two do not. */
const ACTIONS = ['balance', 'status', 'add', 'services'] as const;
type Action = (typeof ACTIONS)[number];

const ask = (node: { baseUrl: string }, key: string, action: Action) =>
  callApi(node.baseUrl, { key, action, ...(action === 'status' ? { orders: '999999999' } : {}) });

/**
 * Sends every action until the node has answered the key from whatever it remembers: on SQLite
 * the key cache must have served it (a test of invalidation that never saw a cached entry would
 * prove nothing); on PostgreSQL nothing is remembered across requests, every read checks the key.
 */
async function warm(db: TestDatabase, node: ApiNode, key: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const hitsBefore = node.ctx.apiKeys.stats.hits;
    for (const action of ACTIONS) expect((await ask(node, key, action)).status).not.toBe(401);
    if (db.name === 'postgres' || node.ctx.apiKeys.stats.hits > hitsBefore) return;
    await delay(20);
  }
  throw new Error('the node never answered the key from its cache');
}

describeEachDatabase('API key cache across nodes', (db) => {
  const nodes: ApiNode[] = [];
  const others = () => nodes.slice(1);
  const nodeAt = (index: number): ApiNode => {
    const node = nodes[index];
    if (!node) throw new Error(`no node ${index}`);
    return node;
  };

  beforeAll(async () => {
    const first = await startServer({ ctx: db().ctx });
    nodes.push({ ctx: db().ctx, ...first, stop: () => first.app.close() });
    for (let i = 0; i < 2; i++) {
      const ctx = createAppContext(db().openAnother(), db().clock, undefined, TEST_PROVIDER_NETWORK);
      const { app, baseUrl } = await startServer({ ctx });
      nodes.push({ ctx, baseUrl, stop: () => app.close() });
    }
  });
  afterAll(async () => {
    for (const node of nodes) await node.stop();
  });

  it('refuses a regenerated key on the very next request on every other node', async () => {
    const customer = await createCustomer(db(), 50_000);
    for (const node of nodes) await warm(db(), node, customer.apiKey);
    const newKey = await regenerateApiKey(nodeAt(0).ctx, { accountId: customer.id });
    for (const node of others()) {
      const reply = await balanceOf(node, customer.apiKey);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: 'Unauthorized' });
      expect((await balanceOf(node, newKey)).body).toEqual({ balance: '5.0000', currency: 'EUR' });
    }
  });

  // No waiting anywhere: the change commits on the first node, and the very next request of
  // each kind on every other node is refused (PostgreSQL included, whatever its notifications do).
  for (const action of ACTIONS) {
    it(`refuses a regenerated key and a suspended account at the very next ${action}`, async () => {
      const customer = await createCustomer(db(), 10_000);
      for (const node of nodes) await warm(db(), node, customer.apiKey);
      await setAccountStatus(nodeAt(0).ctx, { accountId: customer.id, status: 'suspended', actor: 'test' });
      for (const node of others()) {
        const reply = await ask(node, customer.apiKey, action);
        expect(reply.status).toBe(403);
        expect(reply.body).toEqual({ error: 'Account suspended' });
      }
      await setAccountStatus(nodeAt(0).ctx, { accountId: customer.id, status: 'active', actor: 'test' });
      for (const node of others()) expect((await ask(node, customer.apiKey, action)).status).not.toBe(403);
      for (const node of nodes) await warm(db(), node, customer.apiKey);
      await regenerateApiKey(nodeAt(0).ctx, { accountId: customer.id });
      for (const node of others()) {
        const reply = await ask(node, customer.apiKey, action);
        expect(reply.status).toBe(401);
        expect(reply.body).toEqual({ error: 'Unauthorized' });
      }
    });
  }

  it('refuses a suspended account at once everywhere, and serves it again once reactivated', async () => {
    const customer = await createCustomer(db(), 10_000);
    for (const node of nodes) await warm(db(), node, customer.apiKey);
    await setAccountStatus(nodeAt(0).ctx, { accountId: customer.id, status: 'suspended', actor: 'test' });
    for (const node of others()) expect((await balanceOf(node, customer.apiKey)).status).toBe(403);
    for (const node of nodes) await balanceOf(node, customer.apiKey);
    await setAccountStatus(nodeAt(0).ctx, { accountId: customer.id, status: 'active', actor: 'test' });
    for (const node of others()) expect((await balanceOf(node, customer.apiKey)).status).toBe(200);
  });

  it('answers in a changed profile from the next request on', async () => {
    const customer = await createCustomer(db(), 10_000);
    for (const node of nodes) await warm(db(), node, customer.apiKey);
    const status = (node: ApiNode) =>
      callApi(node.baseUrl, { key: customer.apiKey, action: 'status', orders: '999999999' });
    const before = (await status(nodeAt(1))).text;
    await setApiProfile(nodeAt(0).ctx, { accountId: customer.id, profile: 'perfectpanel', actor: 'test' });
    for (const node of others()) expect((await status(node)).text).not.toBe(before);
  });

  it('keeps the balance exact: it is never answered from the cache', async () => {
    const customer = await createCustomer(db(), 10_000);
    for (const node of nodes) await warm(db(), node, customer.apiKey);
    await sql`update accounts set balance_units = 20000 where id = ${customer.id}`.execute(db().storage.db);
    for (const node of nodes) {
      expect((await balanceOf(node, customer.apiKey)).body).toEqual({ balance: '2.0000', currency: 'EUR' });
    }
    await sql`update accounts set balance_units = 10000 where id = ${customer.id}`.execute(db().storage.db);
  });

  // PostgreSQL API requests no longer consult the cache (every read checks the key); the cache
  // itself, still what a SQLite node answers from, keeps its rule on a lost listener.
  it('drops everything cached when the PostgreSQL listener loses its connection', async () => {
    if (db().name !== 'postgres') return;
    const customer = await createCustomer(db(), 10_000);
    const node = nodeAt(1);
    const lookUp = () =>
      node.ctx.apiKeys.lookup(hashApiKey(customer.apiKey), (hash) =>
        findAccountByActiveKeyHash(node.ctx.db, hash),
      );
    const warmCache = async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const hitsBefore = node.ctx.apiKeys.stats.hits;
        expect((await lookUp())?.id).toBe(customer.id);
        if (node.ctx.apiKeys.stats.hits > hitsBefore) return;
        await delay(20);
      }
      throw new Error('the cache never answered the key');
    };
    await warmCache();
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query = 'listen inspiria_api_key_changes'`.execute(
      db().storage.db,
    );
    for (let attempt = 0; attempt < 500 && node.ctx.apiKeys.changeStamp() !== undefined; attempt++)
      await delay(2);
    const missesBefore = node.ctx.apiKeys.stats.misses;
    expect((await lookUp())?.id).toBe(customer.id);
    expect(node.ctx.apiKeys.stats.misses).toBe(missesBefore + 1);
    // It listens again, and caches again, by itself.
    await warmCache();
  });

  it('refuses a regenerated key on a node in another process', async () => {
    const child = await startApiNodeProcess(db());
    try {
      const customer = await createCustomer(db(), 10_000);
      for (let i = 0; i < 5; i++) expect((await balanceOf(child, customer.apiKey)).status).toBe(200);
      await regenerateApiKey(nodeAt(0).ctx, { accountId: customer.id });
      expect((await balanceOf(child, customer.apiKey)).status).toBe(401);
    } finally {
      await child.stop();
    }
  }, 120_000);
});
