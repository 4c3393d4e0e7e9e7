import { DomainError } from '../domain/errors.js';
import type { MailData, MailKind } from '../domain/mail-kinds.js';
import { insertOutboxMail } from '../storage/mail-outbox-repository.js';
import type { Executor, MailLanguage } from '../storage/schema.js';

export type MailRecipient = { accountId: number } | { to: string; language: MailLanguage };

/**
 * Queues one mail inside the caller's transaction, so the mail exists exactly when the event
 * that causes it commits (a rolled-back deposit sends nothing; a committed one is never lost).
 * The mail loop (src/mail/mail-dispatcher.ts) sends it, retrying with backoff until accepted.
 *
 *   await enqueueMail(trx, { accountId }, 'password_changed', {}, nowMs);
 *
 * Given an account, the mail goes to its address in its language. Adding a kind: its data in
 * src/domain/mail-kinds.ts and its words in mail-texts-it.ts / mail-texts-en.ts.
 */
export async function enqueueMail<K extends MailKind>(
  trx: Executor,
  recipient: MailRecipient,
  kind: K,
  data: MailData[K],
  nowMs: number,
): Promise<number> {
  let to: string;
  let language: MailLanguage;
  let accountId: number | null = null;
  if ('accountId' in recipient) {
    const account = await trx
      .selectFrom('accounts')
      .select(['email', 'language'])
      .where('id', '=', recipient.accountId)
      .executeTakeFirst();
    if (!account) throw new DomainError('account_not_found');
    ({ email: to, language } = account);
    accountId = recipient.accountId;
  } else {
    ({ to, language } = recipient);
  }
  return insertOutboxMail(trx, { accountId, to, language, kind, data: JSON.stringify(data), nowMs });
}
