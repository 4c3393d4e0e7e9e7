import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { openSupportTicket } from '../src/app/open-support-ticket.js';
import { placeOrder } from '../src/app/place-order.js';
import { postTicketMessage } from '../src/app/post-ticket-message.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { isDomainError } from '../src/domain/errors.js';
import { CUSTOMER_MESSAGE_LIMIT, MAX_MESSAGE_LENGTH, MAX_SUBJECT_LENGTH } from '../src/domain/support.js';
import { createTestService } from './support/api-server.js';
import { expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';
import { enrolSecondFactor, nextSecondFactorCode, type TestSecondFactor } from './support/two-factor.js';
import { startWebServer, WebClient } from './support/web-client.js';

const PASSWORD = 'correct horse battery';
let counter = 0;

describeEachDatabase('support desk', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  let adminEmail = '';
  let adminFactor: TestSecondFactor;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, 601);
    adminEmail = `desk-admin-${Date.now()}@example.com`;
    const created = await createAccount(db().ctx, { email: adminEmail, password: PASSWORD, role: 'admin' });
    // Admin pages need a second factor.
    adminFactor = await enrolSecondFactor(db().ctx, created.id);
  });
  afterAll(() => stop());

  /** A customer made through the operator's path, signed in on a cookie-keeping client. */
  async function customer(balanceUnits = 1_000_000) {
    const email = `desk${++counter}-${Date.now()}@example.com`;
    const account = await createAccount(db().ctx, {
      email,
      password: PASSWORD,
      openingBalanceUnits: balanceUnits,
    });
    const client = new WebClient(baseUrl);
    const login = await client.submit('/login', '/login', { email, password: PASSWORD });
    return { client, id: account.id, email, login };
  }

  /** The admin signed in: password, then the second factor's code; `login` is the code's answer. */
  async function admin() {
    const client = new WebClient(baseUrl);
    const password = await client.submit('/login', '/login', { email: adminEmail, password: PASSWORD });
    expect(password.status).toBe(303);
    expect(password.location).toBe('/login/code');
    const code = nextSecondFactorCode(adminFactor, db().ctx.clock.now());
    const login = await client.submit('/login/code', '/login/code', { code });
    return { client, login };
  }

  async function orderOf(accountId: number): Promise<number> {
    const placed = await placeOrder(db().ctx, {
      accountId,
      serviceId: 601,
      link: 'https://www.instagram.com/p/ABCDE12345/',
      quantity: 100,
      comments: undefined,
    });
    return placed.orderId;
  }

  async function openTicket(client: WebClient, fields: { subject: string; message: string; order?: string }) {
    return client.submit('/support', '/support', { order: '', ...fields });
  }

  const ticketIdOf = (location: string | null) =>
    Number(/^\/support\/(\d+)\?done=opened$/.exec(location ?? '')?.[1]);
  const navCount = (text: string, href: string) =>
    Number(
      new RegExp(`href="${href}"[^>]*>[^<]*<span class="nav-count" data-unread="(\\d+)"`).exec(text)?.[1] ??
        0,
    );

  it('lands an admin on the admin overview after log-in, a customer on the dashboard', async () => {
    const { login } = await admin();
    expect(login.status).toBe(303);
    expect(login.location).toBe('/admin');
    const { login: customerLogin } = await customer();
    expect(customerLogin.location).toBe('/dashboard');
  });

  it("shows the admin the refund a cancel would give before confirming, as the customer's page does", async () => {
    const { client, id } = await customer();
    const orderId = await orderOf(id);
    const { client: operator } = await admin();
    const adminPage = await operator.get(`/admin/orders/${orderId}`);
    const customerPage = await client.get(`/orders/${orderId}/cancel`);
    // The amount's text, whatever markup wraps it (the customer's page marks money with a span).
    const refundOf = (text: string) =>
      /data-testid="refund">(.*?)<\/dd>/s.exec(text)?.[1]?.replace(/<[^>]*>/g, '');
    expect(refundOf(adminPage.text)).toBe('0,3500 €');
    expect(refundOf(adminPage.text)).toBe(refundOf(customerPage.text));
    expect(adminPage.text).toContain('rimborsare 0,3500 € al cliente?');
  });

  it('runs a ticket both ways: statuses, unread counts in both navigations, read markers', async () => {
    const { client, id } = await customer();
    const orderId = await orderOf(id);
    const opened = await openTicket(client, {
      subject: 'Likes missing',
      message: 'Half of them\nare gone.',
      order: String(orderId),
    });
    expect(opened.status).toBe(303);
    const ticketId = ticketIdOf(opened.location);
    expect(ticketId).toBeGreaterThan(0);
    const view = await client.get(`/support/${ticketId}`);
    expect(view.text).toContain('badge-ticket-open');
    expect(view.text).toContain(`#${orderId}`);
    expect(view.text).toContain('Half of them\nare gone.');

    const { client: operator } = await admin();
    const list = await operator.get('/admin/support?status=open');
    expect(list.text).toContain(`data-ticket-id="${ticketId}" data-unread="true"`);
    expect(navCount(list.text, '/admin/support')).toBeGreaterThanOrEqual(1);
    const before = navCount(list.text, '/admin/support');
    const adminView = await operator.get(`/admin/support/${ticketId}`);
    expect(adminView.status).toBe(200);
    expect(navCount(adminView.text, '/admin/support')).toBe(before - 1);

    expect(navCount((await client.get('/support')).text, '/support')).toBe(0);
    const reply = await operator.submit(`/admin/support/${ticketId}`, `/admin/support/${ticketId}/messages`, {
      message: 'Refilled them, sorry.',
    });
    expect(reply.status).toBe(303);
    const desk = await client.get('/support');
    expect(navCount(desk.text, '/support')).toBe(1);
    expect(desk.text).toContain(`data-ticket-id="${ticketId}" data-unread="true"`);
    const thread = await client.get(`/support/${ticketId}`);
    expect(thread.text).toContain('badge-ticket-answered');
    expect(thread.text).toContain('Refilled them, sorry.');
    expect(navCount(thread.text, '/support')).toBe(0);
    expect(await statusOf(ticketId)).toBe('answered');

    await client.submit(`/support/${ticketId}`, `/support/${ticketId}/messages`, { message: 'Thanks!' });
    expect(await statusOf(ticketId)).toBe('open');
    expect((await client.submit(`/support/${ticketId}`, `/support/${ticketId}/close`, {})).status).toBe(303);
    expect(await statusOf(ticketId)).toBe('closed');
    // A customer's message reopens a closed ticket.
    await client.submit(`/support/${ticketId}`, `/support/${ticketId}/messages`, {
      message: 'One more thing.',
    });
    expect(await statusOf(ticketId)).toBe('open');

    // The operator closes it: audited, with the status's old and new value.
    const close = await operator.submit(`/admin/support/${ticketId}`, `/admin/support/${ticketId}/close`, {});
    expect(close.status).toBe(303);
    expect(await statusOf(ticketId)).toBe('closed');
    const audit = await db()
      .ctx.db.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'support.close')
      .where('target_account_id', '=', id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.details_json ?? '{}')).toEqual({
      ticketId,
      status: { from: 'open', to: 'closed' },
    });
    const closedList = await operator.get('/admin/support?status=closed');
    expect(closedList.text).toContain(`data-ticket-id="${ticketId}"`);
    expect((await operator.get('/admin/support?status=open')).text).not.toContain(
      `data-ticket-id="${ticketId}"`,
    );
  });

  async function statusOf(ticketId: number) {
    const row = await db()
      .ctx.db.selectFrom('support_tickets')
      .select('status')
      .where('id', '=', ticketId)
      .executeTakeFirst();
    return row?.status;
  }

  async function messageCount(ticketId: number) {
    const rows = await db()
      .ctx.db.selectFrom('support_messages')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .execute();
    return rows.length;
  }

  it('answers 404 to another customer on a ticket that is not theirs, and changes nothing', async () => {
    const owner = await customer();
    const other = await customer();
    const opened = await openTicket(owner.client, { subject: 'Mine', message: 'Private.' });
    const ticketId = ticketIdOf(opened.location);
    expect((await other.client.get(`/support/${ticketId}`)).status).toBe(404);
    const csrf = await other.client.csrfFrom('/support');
    const post = await other.client.post(`/support/${ticketId}/messages`, { message: 'Hijack', _csrf: csrf });
    expect(post.status).toBe(404);
    const close = await other.client.post(`/support/${ticketId}/close`, { _csrf: csrf });
    expect(close.status).toBe(404);
    expect(await messageCount(ticketId)).toBe(1);
    expect(await statusOf(ticketId)).toBe('open');
    // A customer cannot reach the admin's desk either.
    expect((await other.client.get(`/admin/support/${ticketId}`)).status).toBe(403);
  });

  it("refuses to link someone else's order, and limits subject and message length", async () => {
    const owner = await customer();
    const other = await customer();
    const foreignOrder = await orderOf(owner.id);
    const linked = await openTicket(other.client, {
      subject: 'About',
      message: 'Hi',
      order: String(foreignOrder),
    });
    expect(linked.status).toBe(400);
    expect(linked.text).toContain('Ordine non trovato.');
    expect(linked.text).toContain('value="About"');
    const longSubject = await openTicket(other.client, {
      subject: 'x'.repeat(MAX_SUBJECT_LENGTH + 1),
      message: 'Hi',
    });
    expect(longSubject.status).toBe(400);
    expect(longSubject.text).toContain(`L’oggetto deve avere da 1 a ${MAX_SUBJECT_LENGTH} caratteri.`);
    const longBody = await openTicket(other.client, {
      subject: 'Long',
      message: 'y'.repeat(MAX_MESSAGE_LENGTH + 1),
    });
    expect(longBody.status).toBe(400);
    const empty = await openTicket(other.client, { subject: 'Empty', message: '   ' });
    expect(empty.status).toBe(400);
    const tickets = await db()
      .ctx.db.selectFrom('support_tickets')
      .select('id')
      .where('account_id', '=', other.id)
      .execute();
    expect(tickets).toHaveLength(0);
    // At the limit exactly (counted in characters, an emoji is one): accepted.
    const atLimit = await openTicket(other.client, {
      subject: '🙂'.repeat(MAX_SUBJECT_LENGTH),
      message: 'z'.repeat(MAX_MESSAGE_LENGTH),
    });
    expect(atLimit.status).toBe(303);
  });

  it('escapes a <script> in subject and message on both sides', async () => {
    const { client } = await customer();
    const probe = '<script>alert(1)</script>';
    const opened = await openTicket(client, { subject: probe, message: `${probe} & "quotes"` });
    const ticketId = ticketIdOf(opened.location);
    const { client: operator } = await admin();
    for (const page of [
      await client.get(`/support/${ticketId}`),
      await client.get('/support'),
      await operator.get(`/admin/support/${ticketId}`),
      await operator.get('/admin/support'),
    ]) {
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(probe);
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it(`holds the rate limit (${CUSTOMER_MESSAGE_LIMIT} messages in the window) under parallel posts`, async () => {
    const { client, id } = await customer();
    const opened = await openTicket(client, { subject: 'Flood', message: 'first' });
    const ticketId = ticketIdOf(opened.location);
    const csrf = await client.csrfFrom(`/support/${ticketId}`);
    const posts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.post(`/support/${ticketId}/messages`, { message: `message ${i}`, _csrf: csrf }),
      ),
    );
    const statuses = posts.map((p) => p.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(CUSTOMER_MESSAGE_LIMIT - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - (CUSTOMER_MESSAGE_LIMIT - 1));
    expect(await messageCount(ticketId)).toBe(CUSTOMER_MESSAGE_LIMIT);
    // New tickets count too, through the use case as well; the operator is not limited.
    await expect(
      openSupportTicket(db().ctx, { accountId: id, subject: 'More', message: 'x' }),
    ).rejects.toSatisfy((error) => isDomainError(error, 'ticket_rate_limited'));
    const adminRow = await db()
      .ctx.db.selectFrom('accounts')
      .select('id')
      .where('email', '=', adminEmail)
      .executeTakeFirstOrThrow();
    await postTicketMessage(db().ctx, {
      ticketId,
      writer: { side: 'staff', accountId: adminRow.id },
      message: 'Calm down',
    });
    // The window moves on: after it, the customer may write again.
    db().clock.advance(11 * 60_000);
    await postTicketMessage(db().ctx, {
      ticketId,
      writer: { side: 'customer', accountId: id },
      message: 'Later',
    });
    expect(await messageCount(ticketId)).toBe(CUSTOMER_MESSAGE_LIMIT + 2);
  });

  it('lets a suspended customer sign in to the desk only: balance shown, a ticket opened', async () => {
    const email = `desk-suspended-${Date.now()}@example.com`;
    const account = await createAccount(db().ctx, {
      email,
      password: PASSWORD,
      openingBalanceUnits: 123_400,
    });
    await setAccountStatus(db().ctx, { accountId: account.id, status: 'suspended', actor: 'test' });
    const client = new WebClient(baseUrl);
    const login = await client.submit('/login', '/login', { email, password: PASSWORD });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/support');
    const desk = await client.get('/support');
    expect(desk.status).toBe(200);
    expect(desk.text).toContain('12,34');
    expect(desk.text).toContain('Il tuo account è sospeso');
    expect(desk.text).not.toContain('href="/dashboard"');
    const opened = await openTicket(client, { subject: 'Why suspended?', message: 'Please explain.' });
    expect(opened.status).toBe(303);
    expect((await client.get(opened.location ?? '')).status).toBe(200);
    for (const path of ['/dashboard', '/orders', '/ledger', '/account', '/funds']) {
      const page = await client.get(path);
      expect(page.status, path).toBe(403);
      expect(page.text).toContain('href="/support"');
    }
    await expectLedgerOk(db());
  });
});
