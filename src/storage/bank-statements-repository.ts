import type { StatementEntry } from '../domain/bank-statement.js';
import type { Executor } from './schema.js';

export function findImportedEntry(db: Executor, entryKey: string) {
  return db
    .selectFrom('bank_statement_entries')
    .selectAll()
    .where('entry_key', '=', entryKey)
    .executeTakeFirst();
}

/** Records an entry as imported, with what became of it; its key is the primary key. */
export async function claimStatementEntry(
  db: Executor,
  options: {
    entry: StatementEntry;
    statementId: string;
    line: { reference: string | null; paymentId: number | null; outcome: string };
    actor: string;
    nowMs: number;
  },
): Promise<void> {
  await db
    .insertInto('bank_statement_entries')
    .values({
      entry_key: options.entry.key,
      statement_id: options.statementId,
      amount_units: options.entry.amountUnits,
      currency: options.entry.currency,
      booking_date: options.entry.bookingDate,
      remittance: options.entry.remittance,
      reference: options.line.reference,
      payment_id: options.line.paymentId,
      outcome: options.line.outcome,
      actor: options.actor,
      imported_at: options.nowMs,
    })
    .execute();
}
