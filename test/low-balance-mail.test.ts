import { afterAll, beforeAll, expect, it } from 'vitest';
import { creditAccount } from '../src/app/credit-account.js';
import { getBalance } from '../src/app/get-balance.js';
import { placeOrder } from '../src/app/place-order.js';
import { MailDispatcher } from '../src/mail/mail-dispatcher.js';
import type { MailOperator } from '../src/mail/render-mail.js';
import { smtpSender } from '../src/mail/smtp-sender.js';
import { createTestService } from './support/api-server.js';
import { signUpVerifiedCustomer } from './support/customers.js';
import { describeEachDatabase } from './support/databases.js';
import { type SmtpInbox, startSmtpInbox } from './support/smtp-inbox.js';
import { startWebServer, type WebClient } from './support/web-client.js';

const OPERATOR: MailOperator = {
  from: 'Inspiria <no-reply@inspiria.test>',
  publicUrl: 'https://panel.inspiria.test',
  businessName: 'Inspiria',
  businessAddress: 'Via Roma 1, Milano',
  businessEmail: 'info@inspiria.test',
};

const EUR = 10_000;
const LINK = 'https://www.instagram.com/p/ABCDE12345/';

describeEachDatabase('low-balance mail', (db) => {
  let baseUrl = '';
  let inbox: SmtpInbox;
  let mail: MailDispatcher;
  let serviceId = 0;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const server = await startWebServer(db());
    baseUrl = server.baseUrl;
    inbox = await startSmtpInbox();
    mail = new MailDispatcher({ ctx: db().ctx, sender: smtpSender(inbox.url), operator: OPERATOR });
    // 1 EUR per 1,000: an order of 4,000 costs 4 EUR.
    const service = await createTestService(db(), { rateUnits: EUR, maxQuantity: 10_000 });
    serviceId = service.id;
    stop = async () => {
      await mail.stop();
      await inbox.close();
      await server.app.close();
    };
  });
  afterAll(() => stop());

  /** The low-balance mails queued for the account, oldest first, with what they say. */
  async function lowBalanceMails(accountId: number) {
    const rows = await db()
      .ctx.db.selectFrom('mail_outbox')
      .select(['id', 'data', 'sent_at'])
      .where('account_id', '=', accountId)
      .where('kind', '=', 'low_balance')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ id: row.id, data: JSON.parse(row.data) as Record<string, unknown> }));
  }

  async function order(accountId: number, euros: number) {
    await placeOrder(db().ctx, {
      accountId,
      serviceId,
      link: LINK,
      quantity: euros * 1000,
      comments: undefined,
    });
  }

  const balanceOf = (accountId: number) => getBalance(db().ctx, { accountId });

  async function setThreshold(client: WebClient, lowBalance: string, language: 'it' | 'en') {
    const saved = await client.submit('/account', '/account/notifications', {
      language,
      low_balance: lowBalance,
    });
    expect(saved.status, saved.text).toBe(200);
  }

  it('mails once per crossing of the threshold set on the account page, re-armed by a deposit', async () => {
    const { client, email, accountId } = await signUpVerifiedCustomer(baseUrl, db().ctx, { lang: 'en' });
    await creditAccount(db().ctx, { accountId, amountUnits: 20 * EUR, reason: 'opening', actor: 'test' });
    await setThreshold(client, '10,00', 'en');
    expect((await client.get('/account')).text).toMatch(/id="low_balance"[^>]*value="10(?:[.,]00)?"/);

    // 20 → 16 → 12: still above 10, nothing.
    await order(accountId, 4);
    await order(accountId, 4);
    expect(await balanceOf(accountId)).toBe(12 * EUR);
    expect(await lowBalanceMails(accountId)).toEqual([]);

    // 12 → 8: the crossing, one mail with the balance and the threshold.
    await order(accountId, 4);
    const first = await lowBalanceMails(accountId);
    expect(first).toHaveLength(1);
    expect(first[0]?.data).toEqual({ balanceUnits: 8 * EUR, thresholdUnits: 10 * EUR });

    // 8 → 4: still below, no second mail.
    await order(accountId, 4);
    expect(await balanceOf(accountId)).toBe(4 * EUR);
    expect(await lowBalanceMails(accountId)).toHaveLength(1);

    // Received over SMTP, in the account's language.
    await mail.runOnce();
    const received = await inbox.waitFor(email, /Balance below/);
    expect(received.subject).toContain('Balance below');
    expect(received.text).toContain('below the');
    expect(received.text).toContain('https://panel.inspiria.test/funds');

    // A deposit takes it back above (4 → 14): re-armed.
    await creditAccount(db().ctx, { accountId, amountUnits: 10 * EUR, reason: 'top-up', actor: 'test' });
    const account = await db()
      .ctx.db.selectFrom('accounts')
      .select('is_low_balance_notified')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(Number(account.is_low_balance_notified)).toBe(0);

    // 14 → 10: at the threshold is not below it.
    await order(accountId, 4);
    expect(await balanceOf(accountId)).toBe(10 * EUR);
    expect(await lowBalanceMails(accountId)).toHaveLength(1);

    // 10 → 6: the next crossing, a second mail.
    await order(accountId, 4);
    const second = await lowBalanceMails(accountId);
    expect(second).toHaveLength(2);
    expect(second[1]?.data).toEqual({ balanceUnits: 6 * EUR, thresholdUnits: 10 * EUR });
    await mail.runOnce();
    await inbox.waitFor(email, /Balance below/);
    const deadline = Date.now() + 5_000;
    while (inbox.mailsTo(email).filter((m) => /Balance below/.test(m.subject)).length < 2) {
      if (Date.now() > deadline) throw new Error('the second low-balance mail did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const both = inbox.mailsTo(email).filter((m) => /Balance below/.test(m.subject));
    expect(both).toHaveLength(2);
    expect(both[1]?.text).toMatch(/6[.,]00/);
  });

  it('mails nothing without a threshold, and a deposit that stays below does not re-arm', async () => {
    const { client, accountId } = await signUpVerifiedCustomer(baseUrl, db().ctx, { lang: 'it' });
    await creditAccount(db().ctx, { accountId, amountUnits: 10 * EUR, reason: 'opening', actor: 'test' });
    await order(accountId, 8);
    expect(await lowBalanceMails(accountId)).toEqual([]);

    // Saving a threshold while already below: the next debit tells.
    await setThreshold(client, '5', 'it');
    await order(accountId, 1);
    const mails = await lowBalanceMails(accountId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.data).toEqual({ balanceUnits: 1 * EUR, thresholdUnits: 5 * EUR });

    // 1 → 3: a deposit still below the threshold does not re-arm; 3 → 2 mails nothing.
    await creditAccount(db().ctx, { accountId, amountUnits: 2 * EUR, reason: 'small top-up', actor: 'test' });
    await order(accountId, 1);
    expect(await lowBalanceMails(accountId)).toHaveLength(1);
  });

  it('mails when an operator’s debit crosses the threshold, as an order does; a refused debit mails nothing', async () => {
    const { client, accountId } = await signUpVerifiedCustomer(baseUrl, db().ctx, { lang: 'it' });
    await creditAccount(db().ctx, { accountId, amountUnits: 20 * EUR, reason: 'opening', actor: 'test' });
    await setThreshold(client, '10', 'it');
    const debit = (euros: number) =>
      creditAccount(db().ctx, {
        accountId,
        amountUnits: -euros * EUR,
        reason: 'correction',
        actor: 'admin:1',
      });

    // 20 → 12: above, nothing; more than the balance: refused, nothing.
    await debit(8);
    await expect(debit(50)).rejects.toMatchObject({ code: 'insufficient_balance' });
    expect(await lowBalanceMails(accountId)).toEqual([]);

    // 12 → 7: the crossing, one mail; 7 → 5: still below, no second.
    await debit(5);
    const mails = await lowBalanceMails(accountId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.data).toEqual({ balanceUnits: 7 * EUR, thresholdUnits: 10 * EUR });
    await debit(2);
    expect(await balanceOf(accountId)).toBe(5 * EUR);
    expect(await lowBalanceMails(accountId)).toHaveLength(1);
  });

  it('queues one mail when orders placed together cross the threshold', async () => {
    const { client, accountId } = await signUpVerifiedCustomer(baseUrl, db().ctx, { lang: 'en' });
    await creditAccount(db().ctx, { accountId, amountUnits: 10 * EUR, reason: 'opening', actor: 'test' });
    await setThreshold(client, '5', 'en');
    // 10 → 2 in four orders arriving together (one group commit, or racing transactions).
    await Promise.all([order(accountId, 2), order(accountId, 2), order(accountId, 2), order(accountId, 2)]);
    expect(await balanceOf(accountId)).toBe(2 * EUR);
    const mails = await lowBalanceMails(accountId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.data).toMatchObject({ thresholdUnits: 5 * EUR });
  });
});
