import { afterAll, beforeAll, expect, it } from 'vitest';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { findAccountByEmail } from '../src/storage/accounts-repository.js';
import { AddressedClient } from './support/addressed-client.js';
import { signUpVerifiedCustomer } from './support/customers.js';
import { describeEachDatabase } from './support/databases.js';
import { startWebServer, WebClient } from './support/web-client.js';

let counter = 0;
const uniqueEmail = () => `web${++counter}-${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery';

describeEachDatabase('web accounts and sessions', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
  });
  afterAll(() => stop());

  const signedUp = (email = uniqueEmail()) =>
    signUpVerifiedCustomer(baseUrl, db().ctx, { email, password: PASSWORD });

  it('signs up, logs out, and the old session cookie stops working', async () => {
    const { client } = await signedUp();
    const sessionCookie = new Map(client.cookies);
    expect((await client.get('/account')).status).toBe(200);
    const logout = await client.submit('/account', '/logout', {});
    expect(logout.location).toBe('/login?notice=logged_out');
    const replay = new WebClient(baseUrl);
    for (const [name, value] of sessionCookie) replay.cookies.set(name, value);
    const after = await replay.get('/account');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/login?next=%2Faccount');
  });

  it('closes the dashboard to a suspended account, with a 403 that says why', async () => {
    const { client, email } = await signedUp();
    const account = await findAccountByEmail(db().ctx.db, email);
    await setAccountStatus(db().ctx, { accountId: account?.id ?? 0, status: 'suspended', actor: 'test' });
    for (const path of ['/dashboard', '/orders/new', '/orders', '/ledger', '/account']) {
      const page = await client.get(path);
      expect(page.status, path).toBe(403);
      expect(page.text).toContain('Questo account è sospeso.');
    }
    // With a valid CSRF token (the 403 page still carries the log-out form), the answer is the same.
    const order = await client.submit('/dashboard', '/orders/preview', {
      service: '1',
      link: 'x',
      quantity: '1',
    });
    expect(order.status).toBe(403);
    expect(order.text).toContain('Questo account è sospeso.');
  });

  it('sets HttpOnly SameSite cookies and the security headers', async () => {
    const client = new WebClient(baseUrl);
    const page = await client.get('/signup');
    const cookies = page.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies.filter((c) => c.startsWith('inspiria_'))) {
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
    }
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-powered-by')).toBeNull();
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/\sstyle=/);
  });

  it('refuses a form posted without its CSRF token with 403', async () => {
    const { client } = await signedUp();
    const response = await client.post('/account/password', {
      current_password: PASSWORD,
      new_password: 'another long password',
    });
    expect(response.status).toBe(403);
    const anonymous = new WebClient(baseUrl);
    await anonymous.get('/login');
    const login = await anonymous.post('/login', { email: 'a@example.com', password: 'x' });
    expect(login.status).toBe(403);
  });

  it('gives the same message for an unknown email and a wrong password, then throttles', async () => {
    const { email } = await signedUp();
    const client = new WebClient(baseUrl);
    const wrong = await client.submit('/login', '/login', { email, password: 'wrong password' });
    const unknown = await client.submit('/login', '/login', {
      email: uniqueEmail(),
      password: 'wrong password',
    });
    const message = (text: string) => /role="alert">([^<]*)</.exec(text)?.[1];
    expect(wrong.status).toBe(401);
    expect(message(wrong.text)).toBe('Email o password non corretti.');
    expect(message(unknown.text)).toBe(message(wrong.text));
    for (let i = 0; i < 4; i++) await client.submit('/login', '/login', { email, password: 'wrong' });
    // Five failures for this account: even the right password is refused for now.
    const right = await client.submit('/login', '/login', { email, password: PASSWORD });
    expect(right.status).toBe(429);
    expect((await client.get('/account')).status).toBe(303);
  });

  it('changes the password with the current one and ends the other sessions', async () => {
    const { client, email } = await signedUp();
    const other = new WebClient(baseUrl);
    expect((await other.submit('/login', '/login', { email, password: PASSWORD })).status).toBe(303);
    const wrong = await client.submit('/account', '/account/password', {
      current_password: 'nope nope nope',
      new_password: 'a brand new password',
    });
    expect(wrong.status).toBe(400);
    const changed = await client.submit('/account', '/account/password', {
      current_password: PASSWORD,
      new_password: 'a brand new password',
    });
    expect(changed.status).toBe(200);
    expect((await client.get('/account')).status).toBe(200);
    expect((await other.get('/account')).status).toBe(303);
    const fresh = new WebClient(baseUrl);
    const login = await fresh.submit('/login', '/login', { email, password: 'a brand new password' });
    expect(login.status).toBe(303);
  });

  it('lists the signed-in devices on the account page and signs out the others', async () => {
    const { client, email } = await signedUp();
    const phone = new AddressedClient(baseUrl, '127.0.0.2', 'Mozilla/5.0 (iPhone) Test/1.0');
    const csrf = await phone.csrfFrom('/login');
    expect((await phone.post('/login', { email, password: PASSWORD, _csrf: csrf })).status).toBe(303);
    const page = await client.get('/account');
    expect(page.text).toContain('Dispositivi connessi');
    expect(page.text).toContain('Mozilla/5.0 (iPhone) Test/1.0');
    expect(page.text).toContain('127.0.0.2');
    expect(page.text.match(/Questo dispositivo/g)).toHaveLength(1);
    for (const token of [...client.cookies.values(), ...phone.cookies.values()]) {
      if (token.length > 40) expect(page.text).not.toContain(token.slice(0, 43));
    }
    const english = await client.get('/account?lang=en');
    expect(english.text).toContain('Signed-in devices');
    expect(english.text).toContain('Sign out the other devices');
    expect((await client.post('/account/sessions/sign-out-others', {})).status).toBe(403); // no CSRF
    expect((await phone.get('/account')).status).toBe(200);
    const done = await client.submit('/account', '/account/sessions/sign-out-others', {});
    expect(done.status).toBe(200);
    expect(done.text).toContain('One other device was signed out.');
    expect(done.text).toContain('No other device is signed in.');
    expect((await phone.get('/account')).status).toBe(303);
    expect((await client.get('/account')).status).toBe(200);
  });

  it('switches language by query, then remembers it in a cookie', async () => {
    const client = new WebClient(baseUrl);
    expect((await client.get('/')).text).toContain('<html lang="it">');
    expect((await client.get('/?lang=en')).text).toContain('<html lang="en">');
    expect((await client.get('/login')).text).toContain('Log in to your account');
  });

  it('answers an unknown page with an HTML 404 and keeps the API JSON', async () => {
    const client = new WebClient(baseUrl);
    const page = await client.get('/no-such-page');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${baseUrl}/api/v2`, { method: 'POST', body: '{}' });
    expect(api.headers.get('content-type')).toContain('application/json');
  });

  it('uses __Host- cookies with Secure when secure cookies are on', async () => {
    const secure = await startWebServer(db(), { secureCookies: true });
    try {
      const response = await fetch(`${secure.baseUrl}/login`);
      const [cookie = ''] = response.headers.getSetCookie();
      const [pair = '', ...attributes] = cookie.split('; ');
      expect(pair).toMatch(/^__Host-inspiria_csrf=[\w-]{43}$/);
      expect(attributes.sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    } finally {
      await secure.app.close();
    }
  });

  it('serves the assets', async () => {
    const css = await fetch(`${baseUrl}/assets/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await fetch(`${baseUrl}/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});
