import { expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { createAccount } from '../src/app/create-account.js';
import { openSupportTicket } from '../src/app/open-support-ticket.js';
import { postTicketMessage } from '../src/app/post-ticket-message.js';
import { describeEachDatabase } from './support/databases.js';

const PASSWORD = 'violet harbour lantern 42';

/** The outbox rows, oldest first: what the mail loop will send. */
async function outbox(ctx: AppContext) {
  const rows = await ctx.db
    .selectFrom('mail_outbox')
    .select(['to_address', 'language', 'kind', 'data'])
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as unknown }));
}

describeEachDatabase('support desk mail', (db) => {
  /** The same context, with the operator's address set as BUSINESS_EMAIL would. */
  const withOperatorEmail = (email: string | null): AppContext => ({
    ...db().ctx,
    payments: { ...db().ctx.payments, business: { ...db().ctx.payments.business, email } },
  });

  it('tells the other side of every new message by mail, in the same transaction', async () => {
    const ctx = withOperatorEmail('desk@inspiria.example');
    const customer = await createAccount(ctx, { email: 'writer@example.com', password: PASSWORD });
    const staff = await createAccount(ctx, { email: 'staff@example.com', password: PASSWORD, role: 'admin' });
    await ctx.db.deleteFrom('mail_outbox').execute();

    const { ticketId } = await openSupportTicket(ctx, {
      accountId: customer.id,
      subject: 'Order 12 <late>',
      message: 'Still pending after two days.',
    });
    await postTicketMessage(ctx, {
      ticketId,
      writer: { side: 'staff', accountId: staff.id },
      message: 'On it.',
    });
    await postTicketMessage(ctx, {
      ticketId,
      writer: { side: 'customer', accountId: customer.id },
      message: 'Thanks!',
    });

    const data = { ticketId, subject: 'Order 12 <late>' };
    expect(await outbox(ctx)).toEqual([
      { to_address: 'desk@inspiria.example', language: 'it', kind: 'ticket_opened', data },
      { to_address: 'writer@example.com', language: 'it', kind: 'ticket_answered', data },
      { to_address: 'desk@inspiria.example', language: 'it', kind: 'ticket_customer_message', data },
    ]);
  });

  it('without an operator address, mails only the customer', async () => {
    const ctx = withOperatorEmail(null);
    const customer = await createAccount(ctx, { email: 'quiet@example.com', password: PASSWORD });
    const staff = await createAccount(ctx, {
      email: 'staff2@example.com',
      password: PASSWORD,
      role: 'admin',
    });
    await ctx.db.deleteFrom('mail_outbox').execute();
    const { ticketId } = await openSupportTicket(ctx, {
      accountId: customer.id,
      subject: 'Hi',
      message: 'Hello',
    });
    await postTicketMessage(ctx, {
      ticketId,
      writer: { side: 'staff', accountId: staff.id },
      message: 'Hello!',
    });
    expect((await outbox(ctx)).map((row) => [row.to_address, row.kind])).toEqual([
      ['quiet@example.com', 'ticket_answered'],
    ]);
  });
});
