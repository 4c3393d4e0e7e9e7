import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { importBankStatement } from '../app/import-bank-statement.js';
import { listPayments } from '../app/list-payments.js';
import { confirmBankTransfer, rejectBankTransfer } from '../app/settle-bank-transfer.js';
import { formatUnits } from '../domain/money.js';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../domain/payments.js';
import type { PaymentRow } from '../storage/schema.js';
import { CliError, cliActor, runWithApp } from './output.js';
import { eurosOption } from './parse-options.js';

/** A payment as the CLI prints it: amounts as EUR strings with 4 decimals, like the API. */
function paymentJson(p: PaymentRow & { email?: string }) {
  return {
    id: p.id,
    reference: p.reference,
    ...(p.email === undefined ? {} : { email: p.email }),
    method: p.method,
    status: p.status,
    amount: formatUnits(Number(p.amount_units)),
    credited: formatUnits(Number(p.credited_units)),
    receiptNumber: p.receipt_number,
    createdAt: new Date(Number(p.created_at)).toISOString(),
  };
}

function oneOf(value: string | undefined, allowed: readonly string[], name: string): string | undefined {
  if (value !== undefined && !allowed.includes(value))
    throw new CliError(`${name} must be one of ${allowed.join(', ')} (got ${value})`);
  return value;
}

export function registerPaymentCommands(program: Command): void {
  const payment = program.command('payment').description('payments: list, bank transfers, statements');
  registerListCommand(payment);
  registerBankTransferCommands(payment);
  registerStatementCommand(payment);
}

/** `payment list`. */
function registerListCommand(payment: Command): void {
  payment
    .command('list')
    .description('the latest payments (newest first), filtered')
    .option('--status <status>', PAYMENT_STATUSES.join('|'))
    .option('--method <method>', PAYMENT_METHODS.join('|'))
    .option('--search <text>', 'a reference or part of an email')
    .option('--page <n>', 'page of 25', '1')
    .action((options: { status?: string; method?: string; search?: string; page: string }) =>
      runWithApp(async ({ ctx }) => {
        const status = oneOf(options.status, PAYMENT_STATUSES, '--status');
        const method = oneOf(options.method, PAYMENT_METHODS, '--method');
        const result = await listPayments(ctx, {
          ...(status ? { status } : {}),
          ...(method ? { method } : {}),
          ...(options.search ? { search: options.search } : {}),
          page: Number.parseInt(options.page, 10) || 1,
          days: 1,
        });
        return {
          total: result.total,
          page: result.page,
          pages: result.pageCount,
          payments: result.rows.map(paymentJson),
        };
      }),
    );
}

/** `payment confirm` and `payment reject`: settling a bank transfer by hand. */
function registerBankTransferCommands(payment: Command): void {
  payment
    .command('confirm')
    .description('the money of a bank transfer arrived: credit what arrived, once')
    .requiredOption('--reference <ref>')
    .requiredOption('--amount <eur>', 'the amount received')
    .option('--note <text>')
    .action((options: { reference: string; amount: string; note?: string }) =>
      runWithApp(async ({ ctx }) => {
        const receivedUnits = eurosOption(options.amount, '--amount');
        if (receivedUnits <= 0) throw new CliError('--amount must be above zero');
        const confirmed = await confirmBankTransfer(ctx, {
          reference: options.reference,
          receivedUnits,
          actor: cliActor(),
          ...(options.note ? { note: options.note } : {}),
        });
        return paymentJson(confirmed);
      }),
    );

  payment
    .command('reject')
    .description('a pending bank transfer never came: nothing is credited')
    .requiredOption('--reference <ref>')
    .option('--note <text>')
    .action((options: { reference: string; note?: string }) =>
      runWithApp(async ({ ctx }) => {
        const rejected = await rejectBankTransfer(ctx, {
          reference: options.reference,
          actor: cliActor(),
          ...(options.note ? { note: options.note } : {}),
        });
        return paymentJson(rejected);
      }),
    );
}

/** `payment import-statement`: settling transfers from a bank statement. */
function registerStatementCommand(payment: Command): void {
  payment
    .command('import-statement')
    .description('match a CAMT.053 statement to pending transfers and credit them')
    .argument('<file>', 'the XML statement')
    .action((file: string) =>
      runWithApp(async ({ ctx }) => {
        const xml = await readFile(file, 'utf8').catch(() => {
          throw new CliError(`cannot read ${file}`);
        });
        const result = await importBankStatement(ctx, { xml, actor: cliActor() });
        return {
          statementIds: result.statementIds,
          credited: formatUnits(result.creditedUnits),
          entries: result.lines.map((line) => ({
            key: line.key,
            amount: formatUnits(line.amountUnits),
            currency: line.currency,
            bookingDate: line.bookingDate,
            debtor: line.debtorName,
            reference: line.reference,
            paymentId: line.paymentId,
            asked: line.askedUnits === null ? null : formatUnits(line.askedUnits),
            outcome: line.outcome,
          })),
        };
      }),
    );
}
