import type { Transaction } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { OPENING_BALANCE_NOTE } from '../domain/ledger-notes.js';
import { formatUnits, MAX_UNITS } from '../domain/money.js';
import { findAccountByEmail, insertAccount } from '../storage/accounts-repository.js';
import { insertApiKey } from '../storage/api-keys-repository.js';
import { appendAudit } from '../storage/audit-repository.js';
import type { AccountRole, Database, MailLanguage } from '../storage/schema.js';
import { generateApiKey } from './api-key-secrets.js';
import type { AppContext } from './context.js';
import { isUniqueViolation } from './database-errors.js';
import { hashPassword, newPasswordRefusal } from './passwords.js';
import { recordManualPayment } from './payment-records.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;

export { MIN_PASSWORD_LENGTH } from './passwords.js';

export function normaliseEmail(email: string): string | undefined {
  const trimmed = email.trim().toLowerCase();
  return EMAIL.test(trimmed) && trimmed.length <= 254 ? trimmed : undefined;
}

export interface CreatedAccount {
  id: number;
  email: string;
  /** Empty for a self sign-up: its key is made once the address is verified. */
  apiKey: string;
}

/** A new account with its first API key and, optionally, an opening deposit. */
export async function createAccount(
  ctx: AppContext,
  options: {
    email: string;
    password: string;
    role?: AccountRole;
    openingBalanceUnits?: number;
    actor?: string;
    /**
     * A customer's own sign-up: the address is not proven yet and no API key exists until it
     * is (sign-up.ts). Accounts an operator creates (CLI, admin, demo seed) are verified.
     */
    selfSignUp?: {
      language: MailLanguage;
      /** In the account's transaction: the verification token and its mail. */
      onCreated(trx: Transaction<Database>, accountId: number, nowMs: number): Promise<void>;
    };
  },
): Promise<CreatedAccount> {
  const email = normaliseEmail(options.email);
  if (!email) throw new DomainError('email_invalid');
  const weakness = await newPasswordRefusal(options.password, [email]);
  if (weakness) throw Reflect.construct(DomainError, [weakness.code, weakness.details]) as DomainError;
  const opening = options.openingBalanceUnits ?? 0;
  if (!Number.isSafeInteger(opening) || opening < 0 || opening > MAX_UNITS) {
    throw new DomainError('opening_balance_invalid');
  }
  const passwordHash = await hashPassword(options.password);
  const apiKey = generateApiKey();
  const nowMs = ctx.clock.now();
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      if (await findAccountByEmail(trx, email)) throw new DomainError('email_taken');
      const accountId = await insertAccount(trx, {
        email,
        passwordHash,
        role: options.role ?? 'user',
        createdAt: nowMs,
        emailVerifiedAt: options.selfSignUp ? null : nowMs,
        ...(options.selfSignUp ? { language: options.selfSignUp.language } : {}),
      });
      if (options.selfSignUp) {
        await options.selfSignUp.onCreated(trx, accountId, nowMs);
      } else {
        await insertApiKey(trx, {
          accountId,
          keyHash: apiKey.keyHash,
          prefix: apiKey.prefix,
          createdAt: nowMs,
        });
      }
      if (opening > 0) {
        await recordManualPayment(trx, {
          accountId,
          amountUnits: opening,
          note: OPENING_BALANCE_NOTE,
          actor: options.actor ?? 'system',
          nowMs,
        });
      }
      if (options.actor) {
        // An account made by an operator (CLI, admin, demo seed) is an admin action.
        await appendAudit(trx, {
          actor: options.actor,
          action: 'account.create',
          targetAccountId: accountId,
          details: { email, role: options.role ?? 'user', openingBalance: formatUnits(opening) },
          createdAt: nowMs,
        });
      }
      return accountId;
    });
    return { id, email, apiKey: options.selfSignUp ? '' : apiKey.key };
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('email_taken');
    throw error;
  }
}
