import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { callApi } from './support/api-server.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { enrolSecondFactor } from './support/two-factor.js';
import { startWebServer, WebClient } from './support/web-client.js';

/** contract §13: the customer and the admin choose the API compatibility profile on the web. */
let counter = 0;
const uniqueEmail = () => `profile${++counter}-${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery';

const SENTENCE = {
  it: 'PerfectPanel, SmartPanel e la maggior parte dei pannelli reseller: perfectpanel; un tuo script che segue la nostra pagina: inspiria.',
  en: 'PerfectPanel, SmartPanel and most reseller panels: perfectpanel; your own script following our page: inspiria.',
};

async function auditRows(db: TestDatabase, accountId: number) {
  const rows = await db.storage.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'details_json'])
    .where('target_account_id', '=', accountId)
    .where('action', '=', 'account.api_profile')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ actor: row.actor, details: JSON.parse(row.details_json) as unknown }));
}

/** A batch `status` with an unknown id: its answer tells the two profiles apart. */
async function answerToUnknownId(baseUrl: string, key: string): Promise<unknown> {
  return (await callApi(baseUrl, { key, action: 'status', orders: '999999' })).body;
}

const checked = (text: string, profile: string) =>
  new RegExp(`value="${profile}" checked`).test(text) ? profile : undefined;

describeEachDatabase('web: API compatibility profile', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
  });
  afterAll(() => stop());

  async function loggedIn(role: 'user' | 'admin' = 'user') {
    const email = uniqueEmail();
    const created = await createAccount(db().ctx, { email, password: PASSWORD, role });
    const client = new WebClient(baseUrl);
    const login = await client.submit('/login', '/login', { email, password: PASSWORD });
    expect(login.status).toBe(303);
    // Admin pages need a second factor: set up, as the admin would right after signing in.
    if (role === 'admin') await enrolSecondFactor(db().ctx, created.id);
    return { client, ...created };
  }

  describe.each(['it', 'en'] as const)('the customer, in %s', (lang) => {
    it('sees the choice next to the key, switches to perfectpanel and back; each change is audited', async () => {
      const { client, id, apiKey } = await loggedIn();
      await client.get(`/dashboard?lang=${lang}`); // the language cookie, kept across the redirect
      const dashboard = await client.get('/dashboard');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toContain(SENTENCE[lang]);
      expect(dashboard.text).toContain('action="/dashboard/api-profile"');
      expect(checked(dashboard.text, 'inspiria')).toBe('inspiria');
      expect(await answerToUnknownId(baseUrl, apiKey)).toEqual({ '999999': { error: 'Order not found' } });

      const switched = await client.submit('/dashboard', '/dashboard/api-profile', {
        profile: 'perfectpanel',
      });
      expect(switched.status).toBe(303);
      expect(switched.location).toBe('/dashboard?done=api-profile#api-key');
      const after = await client.get('/dashboard?done=api-profile');
      expect(checked(after.text, 'perfectpanel')).toBe('perfectpanel');
      expect(after.text).toContain(
        lang === 'it' ? 'Profilo API impostato: perfectpanel.' : 'API profile set to perfectpanel.',
      );
      expect(await answerToUnknownId(baseUrl, apiKey)).toEqual({
        '999999': { error: 'Incorrect order ID' },
      });

      // Regenerating the key keeps the profile: it belongs to the account.
      const regenerated = await client.submit('/dashboard', '/dashboard/api-key', {});
      const newKey = /id="new-api-key"[^>]*value="([^"]+)"/.exec(regenerated.text)?.[1] ?? '';
      expect(newKey).not.toBe('');
      expect(await answerToUnknownId(baseUrl, newKey)).toEqual({ '999999': { error: 'Incorrect order ID' } });

      await client.submit('/dashboard', '/dashboard/api-profile', { profile: 'inspiria' });
      expect(await answerToUnknownId(baseUrl, newKey)).toEqual({ '999999': { error: 'Order not found' } });
      expect(await auditRows(db(), id)).toEqual([
        { actor: `account:${id}`, details: { profile: { from: 'inspiria', to: 'perfectpanel' } } },
        { actor: `account:${id}`, details: { profile: { from: 'perfectpanel', to: 'inspiria' } } },
      ]);
    });
  });

  it('refuses an unknown profile (400) and a post without the CSRF token (403), changing nothing', async () => {
    const { client, id, apiKey } = await loggedIn();
    const unknown = await client.submit('/dashboard', '/dashboard/api-profile', { profile: 'smartpanel' });
    expect(unknown.status).toBe(400);
    const forged = await client.post('/dashboard/api-profile', { profile: 'perfectpanel' });
    expect(forged.status).toBe(403);
    const anonymous = await new WebClient(baseUrl).post('/dashboard/api-profile', {
      profile: 'perfectpanel',
    });
    expect([303, 403]).toContain(anonymous.status);
    expect(await answerToUnknownId(baseUrl, apiKey)).toEqual({ '999999': { error: 'Order not found' } });
    expect(await auditRows(db(), id)).toEqual([]);
  });

  it('the admin sets a customer’s profile on the customer page, audited under the admin', async () => {
    const admin = await loggedIn('admin');
    const customer = await createAccount(db().ctx, { email: uniqueEmail(), password: PASSWORD });
    const path = `/admin/customers/${customer.id}`;
    const page = await admin.client.get(`${path}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="${path}/api-profile"`);
    expect(page.text).toContain(SENTENCE.en);
    const set = await admin.client.submit(path, `${path}/api-profile`, { profile: 'perfectpanel' });
    expect(set.status).toBe(303);
    expect(set.location).toBe(`${path}?done=api-profile&profile=perfectpanel`);
    const shown = await admin.client.get(set.location ?? '');
    expect(shown.text).toContain('API profile set to perfectpanel.');
    expect(checked(shown.text, 'perfectpanel')).toBe('perfectpanel');
    expect(await answerToUnknownId(baseUrl, customer.apiKey)).toEqual({
      '999999': { error: 'Incorrect order ID' },
    });
    const rows = await auditRows(db(), customer.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toEqual({ profile: { from: 'inspiria', to: 'perfectpanel' } });
    expect(rows[0]?.actor).toContain(admin.email);
    // A customer cannot reach the admin's form.
    const { client } = await loggedIn();
    const refused = await client.submit('/dashboard', `${path}/api-profile`, { profile: 'inspiria' });
    expect(refused.status).toBe(403);
  });

  it('with the web registered too, GET and HEAD on /api/v2/ reach the API, not the HTML pages', async () => {
    const head = await fetch(`${baseUrl}/api/v2/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const get = await fetch(`${baseUrl}/api/v2/?action=balance`);
    expect(get.status).toBe(401);
    expect(get.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await get.text()).toBe('{"error":"Unauthorized"}');
  });

  it('the API documentation explains both profiles, GET, HEAD, currency and desc, in both languages', async () => {
    for (const lang of ['it', 'en'] as const) {
      const docs = await new WebClient(baseUrl).get(`/docs?lang=${lang}`);
      expect(docs.status).toBe(200);
      expect(docs.text).toContain('id="profiles"');
      expect(docs.text).toContain(SENTENCE[lang]);
      expect(docs.text).toContain('perfectpanel');
      expect(docs.text).toContain('HEAD');
      expect(docs.text).toContain('GET ');
      expect(docs.text).toContain('&quot;desc&quot;');
      expect(docs.text).toContain('&quot;currency&quot;:    &quot;EUR&quot;');
      expect(docs.text).toContain('{ &quot;order&quot;: 12345, &quot;cancel&quot;: 1 }');
    }
  });
});
