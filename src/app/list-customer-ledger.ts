import { type LedgerLine, listLedgerPage } from '../storage/customer-ledger-queries.js';
import type { AppContext } from './context.js';

export const LEDGER_PER_PAGE = 50;

/** The customer's ledger, newest first: every deposit, charge, refund and adjustment. */
export async function listCustomerLedger(
  ctx: AppContext,
  options: { accountId: number; page?: number },
): Promise<{ rows: LedgerLine[]; total: number; page: number; pageCount: number }> {
  const page = Math.max(1, Math.min(options.page ?? 1, 100_000));
  const { rows, total } = await listLedgerPage(ctx.db, options.accountId, {
    limit: LEDGER_PER_PAGE,
    offset: (page - 1) * LEDGER_PER_PAGE,
  });
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / LEDGER_PER_PAGE)) };
}
