import { DomainError } from '../domain/errors.js';
import { MAX_UNITS } from '../domain/money.js';
import { findAccountById, setMailPreferences } from '../storage/accounts-repository.js';
import type { MailLanguage } from '../storage/schema.js';
import type { AppContext } from './context.js';

export interface MailPreferences {
  language: MailLanguage;
  lowBalanceThresholdUnits: number | null;
}

/** What the account page shows: the language of the mails and the low-balance threshold. */
export async function getMailPreferences(
  ctx: AppContext,
  options: { accountId: number },
): Promise<MailPreferences> {
  const account = await findAccountById(ctx.db, options.accountId);
  if (!account) throw new DomainError('account_not_found');
  const threshold = account.low_balance_threshold_units;
  return {
    language: account.language,
    lowBalanceThresholdUnits: threshold === null ? null : Number(threshold),
  };
}

/** Saving re-arms the low-balance mail: the next fall below the (new) threshold is told. */
export async function saveMailPreferences(
  ctx: AppContext,
  options: { accountId: number } & MailPreferences,
): Promise<void> {
  const threshold = options.lowBalanceThresholdUnits;
  if (threshold !== null && (!Number.isSafeInteger(threshold) || threshold <= 0 || threshold > MAX_UNITS)) {
    throw new DomainError('amount_invalid');
  }
  await setMailPreferences(ctx.db, options.accountId, {
    language: options.language,
    lowBalanceThresholdUnits: threshold,
  });
}
