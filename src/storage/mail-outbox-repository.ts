import type { Executor, MailLanguage, MailOutboxRow } from './schema.js';

export async function insertOutboxMail(
  db: Executor,
  mail: {
    accountId: number | null;
    to: string;
    language: MailLanguage;
    kind: string;
    data: string;
    nowMs: number;
  },
): Promise<number> {
  const row = await db
    .insertInto('mail_outbox')
    .values({
      account_id: mail.accountId,
      to_address: mail.to,
      language: mail.language,
      kind: mail.kind,
      data: mail.data,
      created_at: mail.nowMs,
      next_attempt_at: mail.nowMs,
      sent_at: null,
      last_error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Mails not yet sent whose next attempt is due, oldest first. */
export function listDueMails(
  db: Executor,
  options: { nowMs: number; limit: number },
): Promise<MailOutboxRow[]> {
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', options.nowMs)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(options.limit)
    .execute();
}

/**
 * Takes one due mail for sending: its next attempt moves to `leaseUntilMs`, so no other sender
 * takes it meanwhile, and a sender that dies mid-send leaves it due again when the lease ends.
 * False when another sender took it first.
 */
export async function claimMail(
  db: Executor,
  options: { id: number; nowMs: number; leaseUntilMs: number },
): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set((eb) => ({ next_attempt_at: options.leaseUntilMs, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', options.id)
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', options.nowMs)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sent: the values it was built from (links with secrets among them) are no longer kept. */
export async function markMailSent(db: Executor, options: { id: number; nowMs: number }): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ sent_at: options.nowMs, data: '{}', last_error: null })
    .where('id', '=', options.id)
    .execute();
}

export async function markMailFailed(
  db: Executor,
  options: { id: number; nextAttemptMs: number; error: string },
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ next_attempt_at: options.nextAttemptMs, last_error: options.error.slice(0, 500) })
    .where('id', '=', options.id)
    .where('sent_at', 'is', null)
    .execute();
}
