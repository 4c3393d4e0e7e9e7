import type { Command } from 'commander';
import type { AppContext } from '../app/context.js';
import { createAccount, normaliseEmail } from '../app/create-account.js';
import { creditAccount } from '../app/credit-account.js';
import { regenerateApiKey } from '../app/regenerate-api-key.js';
import { resetTwoFactor } from '../app/reset-two-factor.js';
import { setAccountStatus } from '../app/set-account-status.js';
import { setApiProfile } from '../app/set-api-profile.js';
import { API_PROFILES, isApiProfile } from '../domain/api-profile.js';
import { isDomainError } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';
import { findAccountByEmail } from '../storage/accounts-repository.js';
import { CliError, cliActor, runWithApp } from './output.js';
import { eurosOption } from './parse-options.js';

async function accountIdByEmail(ctx: AppContext, email: string): Promise<number> {
  const account = await findAccountByEmail(ctx.db, normaliseEmail(email) ?? email);
  if (!account) throw new CliError(`no account with email ${email}`);
  return account.id;
}

export function registerAccountCommands(program: Command): void {
  const account = program.command('account').description('customer and admin accounts');
  registerCreateCommands(account);
  registerBalanceCommands(account);
  registerAccessCommands(account);
}

/** `account create` and `account key`: a new account, a new API key. */
function registerCreateCommands(account: Command): void {
  account
    .command('create')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>')
    .option('--admin', 'an admin account')
    .option('--balance <eur>', 'opening balance in EUR')
    .action((options: { email: string; password: string; admin?: boolean; balance?: string }) =>
      runWithApp(async ({ ctx }) => {
        const openingBalanceUnits =
          options.balance === undefined ? 0 : eurosOption(options.balance, '--balance');
        if (openingBalanceUnits < 0) throw new CliError('--balance must not be negative');
        return createAccount(ctx, {
          email: options.email,
          password: options.password,
          role: options.admin ? 'admin' : 'user',
          openingBalanceUnits,
          actor: cliActor(),
        });
      }),
    );

  account
    .command('key')
    .description('regenerate the API key (the old one stops working at once)')
    .requiredOption('--email <email>')
    .action((options: { email: string }) =>
      runWithApp(async ({ ctx }) => {
        const accountId = await accountIdByEmail(ctx, options.email);
        return {
          id: accountId,
          email: normaliseEmail(options.email),
          apiKey: await regenerateApiKey(ctx, { accountId, actor: cliActor() }),
        };
      }),
    );
}

/** `account credit` and `account profile`: the balance and the API profile. */
function registerBalanceCommands(account: Command): void {
  account
    .command('credit')
    .description('credit (or, with a negative amount, debit) a balance, with a reason')
    .requiredOption('--email <email>')
    .requiredOption('--amount <eur>')
    .requiredOption('--reason <text>')
    .allowUnknownOption(false)
    .action((options: { email: string; amount: string; reason: string }) =>
      runWithApp(async ({ ctx }) => {
        const accountId = await accountIdByEmail(ctx, options.email);
        const amountUnits = eurosOption(options.amount, '--amount');
        const result = await creditAccount(ctx, {
          accountId,
          amountUnits,
          reason: options.reason,
          actor: cliActor(),
        }).catch((error: unknown) => {
          if (!isDomainError(error, 'insufficient_balance')) throw error;
          const available = formatUnits(Number(error.details.availableUnits ?? 0));
          throw new CliError(
            `a debit of ${formatUnits(-amountUnits)} EUR would take the balance of ${available} EUR below zero; nothing changed`,
          );
        });
        return {
          id: accountId,
          email: normaliseEmail(options.email),
          balanceBefore: formatUnits(result.balanceBeforeUnits),
          balance: formatUnits(result.balanceAfterUnits),
        };
      }),
    );

  account
    .command('profile')
    .description('the API compatibility profile: perfectpanel (reseller panels) or inspiria (the default)')
    .requiredOption('--email <email>')
    .requiredOption('--profile <profile>', API_PROFILES.join('|'))
    .action((options: { email: string; profile: string }) =>
      runWithApp(async ({ ctx }) => {
        if (!isApiProfile(options.profile))
          throw new CliError(`--profile must be ${API_PROFILES.join(' or ')} (got ${options.profile})`);
        const accountId = await accountIdByEmail(ctx, options.email);
        const changed = await setApiProfile(ctx, { accountId, profile: options.profile, actor: cliActor() });
        return { id: accountId, email: normaliseEmail(options.email), ...changed };
      }),
    );
}

/** `account reset-2fa`, `suspend` and `unsuspend`: who may sign in. */
function registerAccessCommands(account: Command): void {
  account
    .command('reset-2fa')
    .description('remove the second factor (lost phone and recovery codes); audited')
    .requiredOption('--email <email>')
    .action((options: { email: string }) =>
      runWithApp(async ({ ctx }) => {
        const accountId = await accountIdByEmail(ctx, options.email);
        const { hadTwoFactor } = await resetTwoFactor(ctx, { accountId, actor: cliActor() });
        return { id: accountId, email: normaliseEmail(options.email), hadTwoFactor };
      }),
    );

  for (const [name, status] of [
    ['suspend', 'suspended'],
    ['unsuspend', 'active'],
  ] as const) {
    account
      .command(name)
      .requiredOption('--email <email>')
      .action((options: { email: string }) =>
        runWithApp(async ({ ctx }) => {
          const accountId = await accountIdByEmail(ctx, options.email);
          await setAccountStatus(ctx, { accountId, status, actor: cliActor() });
          return { id: accountId, email: normaliseEmail(options.email), status };
        }),
      );
  }
}
