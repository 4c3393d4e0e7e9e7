import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { regenerateApiKey } from '../src/app/regenerate-api-key.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { setApiProfile } from '../src/app/set-api-profile.js';
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

/**
 * Asks until the node answers the key from its cache (its PostgreSQL listener connects on first
 * use, and a lookup made before it listens is not kept): a test of invalidation that never saw a
 * cached entry would prove nothing.
 */
async function warm(node: ApiNode, key: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const hitsBefore = node.ctx.apiKeys.stats.hits;
    const reply = await balanceOf(node, key);
    expect(reply.status).toBe(200);
    if (node.ctx.apiKeys.stats.hits > hitsBefore) return;
    await delay(20);
  }
  throw new Error('the node never answered the key from its cache');
}

/**
 * On SQLite every request reads the change stamp itself: the very next request on any node
 * sees a change. On PostgreSQL a node learns of it by a notification its listener receives
 * after the commit (a millisecond or less, bounded by the cache's expiry if lost): the test
 * waits for that arrival, never for a fixed time, then expects the next request refused.
 */
async function noticed(db: TestDatabase, node: ApiNode, stampBefore: number | undefined): Promise<void> {
  if (db.name === 'sqlite') return;
  for (let attempt = 0; attempt < 500; attempt++) {
    if (node.ctx.apiKeys.changeStamp() !== stampBefore) return;
    await delay(2);
  }
  throw new Error('the node was never notified of the change');
}

/** Runs `change` on the first node, then waits until every other node can have learnt of it. */
async function changeOnFirst(db: TestDatabase, nodes: ApiNode[], change: () => Promise<unknown>) {
  const before = nodes.map((node) => node.ctx.apiKeys.changeStamp());
  const result = await change();
  for (const [index, node] of nodes.entries()) await noticed(db, node, before[index]);
  return result;
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
    for (const node of nodes) await warm(node, customer.apiKey);
    const newKey = (await changeOnFirst(db(), nodes, () =>
      regenerateApiKey(nodeAt(0).ctx, { accountId: customer.id }),
    )) as string;
    for (const node of others()) {
      const reply = await balanceOf(node, customer.apiKey);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: 'Unauthorized' });
      expect((await balanceOf(node, newKey)).body).toEqual({ balance: '5.0000', currency: 'EUR' });
    }
  });

  it('refuses a suspended account at once everywhere, and serves it again once reactivated', async () => {
    const customer = await createCustomer(db(), 10_000);
    for (const node of nodes) await warm(node, customer.apiKey);
    await changeOnFirst(db(), nodes, () =>
      setAccountStatus(nodeAt(0).ctx, { accountId: customer.id, status: 'suspended', actor: 'test' }),
    );
    for (const node of others()) expect((await balanceOf(node, customer.apiKey)).status).toBe(403);
    for (const node of nodes) await balanceOf(node, customer.apiKey);
    await changeOnFirst(db(), nodes, () =>
      setAccountStatus(nodeAt(0).ctx, { accountId: customer.id, status: 'active', actor: 'test' }),
    );
    for (const node of others()) expect((await balanceOf(node, customer.apiKey)).status).toBe(200);
  });

  it('answers in a changed profile from the next request on', async () => {
    const customer = await createCustomer(db(), 10_000);
    for (const node of nodes) await warm(node, customer.apiKey);
    const status = (node: ApiNode) =>
      callApi(node.baseUrl, { key: customer.apiKey, action: 'status', orders: '999999999' });
    const before = (await status(nodeAt(1))).text;
    await changeOnFirst(db(), nodes, () =>
      setApiProfile(nodeAt(0).ctx, { accountId: customer.id, profile: 'perfectpanel', actor: 'test' }),
    );
    for (const node of others()) expect((await status(node)).text).not.toBe(before);
  });

  it('keeps the balance exact: it is never answered from the cache', async () => {
    const customer = await createCustomer(db(), 10_000);
    for (const node of nodes) await warm(node, customer.apiKey);
    await sql`update accounts set balance_units = 20000 where id = ${customer.id}`.execute(db().storage.db);
    for (const node of nodes) {
      expect((await balanceOf(node, customer.apiKey)).body).toEqual({ balance: '2.0000', currency: 'EUR' });
    }
    await sql`update accounts set balance_units = 10000 where id = ${customer.id}`.execute(db().storage.db);
  });

  it('drops everything cached when the PostgreSQL listener loses its connection', async () => {
    if (db().name !== 'postgres') return;
    const customer = await createCustomer(db(), 10_000);
    const node = nodeAt(1);
    await warm(node, customer.apiKey);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query = 'listen inspiria_api_key_changes'`.execute(
      db().storage.db,
    );
    for (let attempt = 0; attempt < 500 && node.ctx.apiKeys.changeStamp() !== undefined; attempt++)
      await delay(2);
    const missesBefore = node.ctx.apiKeys.stats.misses;
    expect((await balanceOf(node, customer.apiKey)).status).toBe(200);
    expect(node.ctx.apiKeys.stats.misses).toBe(missesBefore + 1);
    // It listens again, and caches again, by itself.
    await warm(node, customer.apiKey);
  });

  it('refuses a regenerated key on a node in another process', async () => {
    const child = await startApiNodeProcess(db());
    try {
      const customer = await createCustomer(db(), 10_000);
      for (let i = 0; i < 5; i++) expect((await balanceOf(child, customer.apiKey)).status).toBe(200);
      // The child's listener is notified like the nodes of this process, which the test waits for.
      await changeOnFirst(db(), nodes, () => regenerateApiKey(nodeAt(0).ctx, { accountId: customer.id }));
      expect((await balanceOf(child, customer.apiKey)).status).toBe(401);
    } finally {
      await child.stop();
    }
  }, 120_000);
});
