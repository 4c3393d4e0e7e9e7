import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { createAccount } from '../src/app/create-account.js';
import { getProviderBalance } from '../src/app/get-provider-balance.js';
import { importProviderServices } from '../src/app/import-provider-services.js';
import { listProviders } from '../src/app/list-providers.js';
import { openApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { type DomainError, isDomainError } from '../src/domain/errors.js';
import { insertProvider } from '../src/storage/providers-repository.js';
import { providerNetwork, type ResolvedAddress, systemResolve } from '../src/upstream/provider-address.js';
import { fetchUpstreamBalance } from '../src/upstream/upstream-client.js';
import { createCustomer, createTestService } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder, readOrder, testWorker } from './support/engine.js';
import { FakeProvider } from './support/fake-provider.js';
import { enrolSecondFactorByEmail } from './support/two-factor.js';
import { startWebServer, WebClient } from './support/web-client.js';

const KEY = 'ssrf-test-key-123456';

/** Names the tests resolve themselves: where a hostile DNS would send us. */
const NAMES: Record<string, ResolvedAddress[]> = {
  'inside.test': [{ address: '127.0.0.1', family: 4 }],
  'inside6.test': [{ address: '::1', family: 6 }],
  // One public and one private address: refused whichever the socket would pick.
  'mixed.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ],
  'public.test': [{ address: '93.184.216.34', family: 4 }],
};

async function testResolve(hostname: string): Promise<readonly ResolvedAddress[]> {
  return NAMES[hostname] ?? systemResolve(hostname);
}

/** Every spelling of an address a provider may not use; `P` is the fake provider's port. */
const FORBIDDEN_URLS = [
  'http://127.0.0.1:P/api/v2',
  'http://2130706433:P/api/v2',
  'http://0x7f000001:P/api/v2',
  'http://0177.0.0.1:P/api/v2',
  'http://127.1:P/api/v2',
  'http://0x7f.1:P/api/v2',
  'http://127.0.0.1.:P/api/v2',
  'http://[::ffff:127.0.0.1]:P/api/v2',
  'http://[::1]:P/api/v2',
  'http://[::]:P/api/v2',
  'http://[64:ff9b::7f00:1]:P/api/v2',
  'http://[fe80::1]:P/api/v2',
  'http://[fc00::1]:P/api/v2',
  'http://[fd12:3456::1]:P/api/v2',
  'http://[ff02::1]:P/api/v2',
  'http://0.0.0.0:P/api/v2',
  'http://0:P/api/v2',
  'http://100.64.0.1:P/api/v2',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1:P/api/v2',
  'http://172.16.0.1:P/api/v2',
  'http://172.31.255.254:P/api/v2',
  'http://192.168.1.1:P/api/v2',
  'http://224.0.0.1:P/api/v2',
  'http://240.0.0.1:P/api/v2',
  'http://255.255.255.255:P/api/v2',
  'https://localhost:P/api/v2',
  'http://inside.test:P/api/v2',
  'http://inside6.test:P/api/v2',
  'http://mixed.test:P/api/v2',
];

function refusalOf(error: unknown): DomainError {
  if (!isDomainError(error)) throw error;
  return error;
}

describe('ALLOW_PRIVATE_PROVIDER_URLS', () => {
  it('is off unless set, and reaches the use cases through the context', async () => {
    expect(loadConfig({}).allowPrivateProviderUrls).toBe(false);
    expect(() => loadConfig({ ALLOW_PRIVATE_PROVIDER_URLS: 'maybe' })).toThrow(/ALLOW_PRIVATE_PROVIDER_URLS/);
    for (const [value, allowed] of [
      [undefined, false],
      ['true', true],
    ] as const) {
      const file = join(tmpdir(), `inspiria-ssrf-${process.pid}-${String(value)}.db`);
      const opened = await openApp(
        loadConfig({
          DATABASE_URL: `sqlite:${file}`,
          ...(value ? { ALLOW_PRIVATE_PROVIDER_URLS: value } : {}),
        }),
      );
      expect(opened.ctx.providerNetwork.allowPrivate).toBe(allowed);
      await opened.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
  });
});

describeEachDatabase('provider URLs cannot reach inside', (db) => {
  const provider = new FakeProvider(KEY);
  let guarded: AppContext;
  let port = 0;
  const at = (url: string) => url.replace(':P/', `:${port}/`);

  beforeAll(async () => {
    await provider.start();
    port = Number(new URL(provider.url).port);
    guarded = createAppContext(db().storage, db().clock, undefined, providerNetwork(false, testResolve));
  });
  afterAll(() => provider.stop());

  it('the URL parser writes every numeric spelling of loopback as 127.0.0.1', () => {
    for (const spelling of ['2130706433', '0x7f000001', '0177.0.0.1', '127.1', '0x7f.1', '127.0.0.1.']) {
      expect(new URL(`http://${spelling}/`).hostname).toBe('127.0.0.1');
    }
  });

  it('refuses each forbidden address when the provider is saved, and stores nothing', async () => {
    for (const [index, url] of FORBIDDEN_URLS.entries()) {
      const refused = await addProvider(guarded, {
        name: `bad${index}`,
        url: at(url),
        apiKey: KEY,
        actor: 't',
      }).catch(refusalOf);
      expect(refused, url).toMatchObject({ code: 'provider_url_forbidden' });
    }
    for (const [url, code] of [
      ['ftp://93.184.216.34/api/v2', 'provider_url_invalid'],
      ['file:///etc/passwd', 'provider_url_invalid'],
      ['http://user:pass@93.184.216.34/api/v2', 'provider_url_credentials'],
    ] as const) {
      const refused = await addProvider(guarded, { name: 'badform', url, apiKey: KEY, actor: 't' }).catch(
        refusalOf,
      );
      expect(refused, url).toMatchObject({ code });
    }
    expect(await listProviders(guarded)).toEqual([]);
    expect(provider.calls).toEqual([]);
  });

  it('accepts a public address or a name resolving to one', async () => {
    await addProvider(guarded, {
      name: 'public1',
      url: 'https://93.184.216.34/api/v2',
      apiKey: KEY,
      actor: 't',
    });
    await addProvider(guarded, {
      name: 'public2',
      url: 'https://public.test/api/v2',
      apiKey: KEY,
      actor: 't',
    });
    expect((await listProviders(guarded)).map((p) => p.name)).toEqual(['public1', 'public2']);
  });

  it('refuses each forbidden address when connecting: nothing is sent, the kind is "forbidden address"', async () => {
    // Stored before the rule, or a name that resolved elsewhere when it was saved.
    const nowMs = db().clock.now();
    for (const [index, url] of FORBIDDEN_URLS.entries()) {
      const name = `stored${index}`;
      await insertProvider(db().ctx.db, {
        name,
        url: at(url),
        api_key: KEY,
        key_prefix: 'ssrf',
        created_at: nowMs,
        updated_at: nowMs,
      });
      const refused = await getProviderBalance(guarded, { name, timeoutMs: 2_000 }).catch(refusalOf);
      expect(refused, url).toMatchObject({
        code: 'provider_call_failed',
        details: { provider: name, reason: 'forbidden_address' },
      });
      const imported = await importProviderServices(guarded, {
        provider: name,
        markup: '10',
        timeoutMs: 2_000,
        actor: 't',
      }).catch(refusalOf);
      expect(imported, url).toMatchObject({ details: { reason: 'forbidden_address' } });
      // The engine's client, as the worker calls it.
      const engine = await fetchUpstreamBalance({
        url: at(url),
        apiKey: KEY,
        timeoutMs: 2_000,
        network: guarded.providerNetwork,
      });
      expect(engine, url).toMatchObject({
        ok: false,
        failure: { kind: 'unreachable', reason: 'forbidden_address' },
      });
    }
    expect(provider.calls).toEqual([]);
  });

  it('the worker sends no order to a provider whose name resolves inside, and retries later', async () => {
    const nowMs = db().clock.now();
    await insertProvider(db().ctx.db, {
      name: 'workerinside',
      url: `http://inside.test:${port}/api/v2`,
      api_key: KEY,
      key_prefix: 'ssrf',
      created_at: nowMs,
      updated_at: nowMs,
    });
    const service = await createTestService(db(), {
      backend: 'upstream:workerinside',
      upstreamServiceId: '5',
    });
    const customer = await createCustomer(db(), 10_000_000);
    const orderId = await placeTestOrder(guarded, {
      accountId: customer.id,
      serviceId: service.id,
      link: 'https://www.instagram.com/p/Inside00001/',
      quantity: 100,
    });
    await testWorker(guarded).runOnce();
    expect(await readOrder(guarded, orderId)).toMatchObject({
      status: 'Pending',
      upstream_state: null,
      upstream_order_id: null,
      retry_count: 1,
    });
    expect(provider.calls).toEqual([]);
  });

  it('checks the name again when connecting: a name that pointed outside when saved and inside now is refused', async () => {
    let isRebound = false;
    const rebinding = providerNetwork(false, async (hostname) =>
      hostname === 'rebind.test'
        ? [{ address: isRebound ? '127.0.0.1' : '93.184.216.34', family: 4 }]
        : testResolve(hostname),
    );
    const ctx = createAppContext(db().storage, db().clock, undefined, rebinding);
    await addProvider(ctx, {
      name: 'rebind',
      url: `http://rebind.test:${port}/api/v2`,
      apiKey: KEY,
      actor: 't',
    });
    isRebound = true;
    const refused = await getProviderBalance(ctx, { name: 'rebind', timeoutMs: 2_000 }).catch(refusalOf);
    expect(refused).toMatchObject({ details: { reason: 'forbidden_address' } });
    expect(provider.calls).toEqual([]);
  });

  it('with ALLOW_PRIVATE_PROVIDER_URLS the same loopback spellings reach the provider', async () => {
    const open = createAppContext(db().storage, db().clock, undefined, providerNetwork(true, testResolve));
    const urls = ['http://2130706433:P/api/v2', 'http://127.1:P/api/v2', 'http://inside.test:P/api/v2'];
    for (const [index, url] of urls.entries()) {
      const name = `open${index}`;
      await addProvider(open, { name, url: at(url), apiKey: KEY, actor: 't' });
      expect(await getProviderBalance(open, { name, timeoutMs: 2_000 })).toMatchObject({
        balance: '123.4567',
      });
    }
    expect(provider.calls.length).toBe(3);
  });
});

describeEachDatabase('provider redirects and the admin page', (db) => {
  const provider = new FakeProvider(KEY);
  let target: Server;
  let targetHits = 0;
  let web: { baseUrl: string; close: () => Promise<unknown> }[] = [];
  let guardedAdmin: WebClient;
  let openAdmin: WebClient;

  async function signedIn(baseUrl: string, email: string): Promise<WebClient> {
    const client = new WebClient(baseUrl);
    const login = await client.submit('/login', '/login', { email, password: 'correct horse battery' });
    expect(login.status).toBe(303);
    return client;
  }

  beforeAll(async () => {
    await provider.start();
    target = createServer((_request, response) => {
      targetHits++;
      response.end('{"balance":"1","currency":"EUR"}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const guarded = createAppContext(
      db().storage,
      db().clock,
      undefined,
      providerNetwork(false, testResolve),
    );
    const servers = [await startWebServer(db(), { ctx: guarded }), await startWebServer(db())];
    web = servers.map((s) => ({ baseUrl: s.baseUrl, close: () => s.app.close() }));
    await createAccount(db().ctx, {
      email: 'boss@example.com',
      password: 'correct horse battery',
      role: 'admin',
    });
    guardedAdmin = await signedIn(servers[0]?.baseUrl ?? '', 'boss@example.com');
    openAdmin = await signedIn(servers[1]?.baseUrl ?? '', 'boss@example.com');
    // Admin pages need a second factor: set up, as the admin would right after signing in.
    await enrolSecondFactorByEmail(db().ctx, 'boss@example.com');
  });
  afterAll(async () => {
    for (const server of web) await server.close();
    await provider.stop();
    await new Promise((resolve) => target.close(resolve));
  });

  it('never follows a redirect, to anywhere', async () => {
    const address = target.address();
    const targetUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    provider.override = () => ({
      status: 302,
      body: '',
      contentType: 'text/plain',
      headers: { location: targetUrl },
    });
    await addProvider(db().ctx, { name: 'redirecting', url: provider.url, apiKey: KEY, actor: 't' });
    const refused = await getProviderBalance(db().ctx, { name: 'redirecting', timeoutMs: 2_000 }).catch(
      refusalOf,
    );
    expect(refused).toMatchObject({ details: { reason: 'not_api_v2' } });
    expect(targetHits).toBe(0);
    provider.override = undefined;
  });

  it('an Italian admin page refuses a loopback URL with a fixed sentence and stores nothing', async () => {
    const port = new URL(provider.url).port;
    const page = await guardedAdmin.submit('/admin/providers', '/admin/providers', {
      name: 'sneaky',
      url: `http://0x7f000001:${port}/api/v2`,
      key: KEY,
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('<html lang="it"');
    expect(page.text).toContain(
      'L’URL non può portare a loopback, a una rete privata o a un altro indirizzo interno.',
    );
    expect((await listProviders(db().ctx)).map((p) => p.name)).not.toContain('sneaky');
  });

  it('an Italian admin page shows what kind of failure it was, never what the address answered', async () => {
    const port = new URL(provider.url).port;
    const nowMs = db().clock.now();
    await insertProvider(db().ctx.db, {
      name: 'insider',
      url: `http://inside.test:${port}/api/v2`,
      api_key: KEY,
      key_prefix: 'ssrf',
      created_at: nowMs,
      updated_at: nowMs,
    });
    const refused = await guardedAdmin.submit('/admin/providers', '/admin/providers/insider/balance', {});
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(
      'Il fornitore insider porta a una rete interna: la richiesta non è stata inviata.',
    );

    // Where private addresses are allowed, an internal service's banner still never reaches the page.
    const banner = 'SSH-2.0-OpenSSH_9.6 internal-banner-7731';
    await addProvider(db().ctx, { name: 'chatty', url: provider.url, apiKey: KEY, actor: 't' });
    const replies = [
      {
        reply: { status: 503, body: banner, contentType: 'text/plain' },
        says: 'Il fornitore chatty non ha dato una risposta API v2.',
      },
      {
        reply: { status: 418, body: JSON.stringify({ error: banner }) },
        says: 'Il fornitore chatty non ha dato una risposta API v2.',
      },
      {
        reply: { status: 200, body: JSON.stringify({ error: banner }) },
        says: 'Il fornitore chatty ha rifiutato la richiesta: controlla la chiave API.',
      },
    ];
    for (const { reply, says } of replies) {
      provider.override = () => reply;
      const page = await openAdmin.submit('/admin/providers', '/admin/providers/chatty/balance', {});
      expect(page.status).toBe(400);
      expect(page.text).toContain(says);
      expect(page.text).not.toContain('internal-banner');
      expect(page.text).not.toContain(`HTTP ${reply.status}`);
    }
    provider.override = undefined;
  });
});
