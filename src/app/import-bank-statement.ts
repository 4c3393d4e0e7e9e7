import type { BankStatement, StatementEntry } from '../domain/bank-statement.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';
import { isCredited } from '../domain/payments.js';
import { appendAudit } from '../storage/audit-repository.js';
import { claimStatementEntry, findImportedEntry } from '../storage/bank-statements-repository.js';
import { findPaymentByReference, lockPayment } from '../storage/payments-repository.js';
import type { Executor, PaymentRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { isUniqueViolation } from './database-errors.js';
import { creditPayment } from './payment-money.js';

/** What became of one statement entry; the operator sees each. */
export type StatementOutcome =
  | 'credited'
  | 'credited_amount_differs'
  | 'already_imported'
  | 'already_credited'
  | 'unknown_reference'
  | 'no_reference'
  | 'ambiguous_reference'
  | 'not_a_credit'
  | 'not_booked'
  | 'not_eur';

export interface StatementLine {
  key: string;
  amountUnits: number;
  currency: string;
  bookingDate: string | null;
  debtorName: string | null;
  remittance: string;
  reference: string | null;
  paymentId: number | null;
  askedUnits: number | null;
  outcome: StatementOutcome;
}

export interface StatementImport {
  statementIds: string[];
  lines: StatementLine[];
  creditedUnits: number;
}

const CONFIRMABLE = ['pending', 'expired', 'failed'] as const;

/**
 * Matches a CAMT.053 statement's credits to pending bank transfers by the reference in their
 * remittance information and credits what arrived. Each entry is claimed by its key in the
 * same transaction as its credit, so the same statement uploaded twice, even at once, credits
 * nothing twice.
 */
export async function importBankStatement(
  ctx: AppContext,
  options: { xml: string; actor: string },
): Promise<StatementImport> {
  // The XML parser is loaded with the first statement: a node that imports none never holds it.
  const { parseCamt053 } = await import('../domain/bank-statement.js');
  let statement: BankStatement;
  try {
    statement = parseCamt053(options.xml);
  } catch (error) {
    if (isDomainError(error)) throw new DomainError('invalid_statement');
    throw error;
  }
  const statementId = statement.statementIds.join(',');
  const lines: StatementLine[] = [];
  for (const entry of statement.entries)
    lines.push(await importEntry(ctx, entry, statementId, options.actor));
  const creditedUnits = lines
    .filter((l) => l.outcome === 'credited' || l.outcome === 'credited_amount_differs')
    .reduce((sum, l) => sum + l.amountUnits, 0);
  await appendAudit(ctx.db, {
    actor: options.actor,
    action: 'payment.statement_import',
    details: { statement: statementId, entries: lines.length, credited: formatUnits(creditedUnits) },
    createdAt: ctx.clock.now(),
  });
  return { statementIds: statement.statementIds, lines, creditedUnits };
}

async function importEntry(
  ctx: AppContext,
  entry: StatementEntry,
  statementId: string,
  actor: string,
): Promise<StatementLine> {
  const line: StatementLine = {
    key: entry.key,
    amountUnits: entry.amountUnits,
    currency: entry.currency,
    bookingDate: entry.bookingDate,
    debtorName: entry.debtorName,
    remittance: entry.remittance,
    reference: null,
    paymentId: null,
    askedUnits: null,
    outcome: 'not_a_credit',
  };
  const skipped = skipReason(entry);
  if (skipped) return { ...line, outcome: skipped };
  const nowMs = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const imported = await findImportedEntry(trx, entry.key);
      if (imported) {
        // What the first import matched, so the operator can follow it from the second.
        return {
          ...line,
          reference: imported.reference,
          paymentId: imported.payment_id === null ? null : Number(imported.payment_id),
          outcome: 'already_imported' as const,
        };
      }
      const matched = await matchEntry(trx, entry, line);
      if (matched.payment && matched.line.outcome.startsWith('credited')) {
        await creditPayment(trx, {
          payment: matched.payment,
          creditedUnits: entry.amountUnits,
          fromStatuses: CONFIRMABLE,
          actor,
          nowMs,
          extra: { note: `bank statement ${statementId}` },
        });
      }
      await claimStatementEntry(trx, { entry, statementId, line: matched.line, actor, nowMs });
      return matched.line;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ...line, outcome: 'already_imported' };
    throw error;
  }
}

/** Entries the import leaves to the operator without looking for a payment. */
function skipReason(entry: StatementEntry): StatementOutcome | undefined {
  if (entry.direction !== 'credit' || entry.reversal) return 'not_a_credit';
  // A pending booking may still change; the statement that books it will be imported again.
  if (entry.status !== null && entry.status.toUpperCase() !== 'BOOK') return 'not_booked';
  if (entry.currency.toUpperCase() !== 'EUR') return 'not_eur';
  return undefined;
}

async function matchEntry(
  trx: Executor,
  entry: StatementEntry,
  line: StatementLine,
): Promise<{ line: StatementLine; payment?: PaymentRow }> {
  if (entry.references.length === 0) return { line: { ...line, outcome: 'no_reference' } };
  const found: PaymentRow[] = [];
  for (const reference of entry.references) {
    const payment = await findPaymentByReference(trx, reference);
    if (payment?.method === 'bank_transfer') found.push(payment);
  }
  if (found.length === 0)
    return { line: { ...line, reference: entry.references[0] ?? null, outcome: 'unknown_reference' } };
  if (found.length > 1) return { line: { ...line, outcome: 'ambiguous_reference' } };
  const payment = await lockPayment(trx, (found[0] as PaymentRow).id);
  if (!payment) return { line: { ...line, outcome: 'unknown_reference' } };
  const matched = {
    ...line,
    reference: payment.reference,
    paymentId: payment.id,
    askedUnits: Number(payment.amount_units),
  };
  if (isCredited(payment.status)) return { line: { ...matched, outcome: 'already_credited' } };
  const outcome = entry.amountUnits === Number(payment.amount_units) ? 'credited' : 'credited_amount_differs';
  return { line: { ...matched, outcome }, payment };
}
