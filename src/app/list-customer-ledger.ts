import { type LedgerLine, listLedgerPage } from '../storage/ledger-repository.js';
import type { AppContext } from './context.js';
import { fetchPage, type Paged } from './pagination.js';

export type { LedgerKind } from '../storage/schema.js';

export type { LedgerLine };

export const LEDGER_PER_PAGE = 50;

/** The customer's ledger, newest first: every deposit, charge, refund and adjustment. */
export async function listCustomerLedger(
  ctx: AppContext,
  options: { accountId: number; page?: number },
): Promise<Paged<LedgerLine>> {
  return fetchPage(
    options.page,
    (window) => listLedgerPage(ctx.db, options.accountId, window),
    LEDGER_PER_PAGE,
  );
}
