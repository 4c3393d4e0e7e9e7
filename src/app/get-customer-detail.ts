import { DomainError } from '../domain/errors.js';
import { findAccountById } from '../storage/accounts-repository.js';
import { type LedgerLine, listLedgerPage } from '../storage/ledger-repository.js';
import { type AdminOrderRow, searchOrders } from '../storage/orders-repository.js';
import type { AccountRow } from '../storage/schema.js';
import type { AppContext } from './context.js';

export interface CustomerDetail {
  account: Omit<AccountRow, 'password_hash'>;
  ledger: LedgerLine[];
  orders: AdminOrderRow[];
  orderCount: number;
}

/** One account as the admin sees it: its balance, status, latest ledger entries and orders. */
export async function getCustomerDetail(
  ctx: AppContext,
  options: { accountId: number },
): Promise<CustomerDetail> {
  const row = await findAccountById(ctx.db, options.accountId);
  if (!row) throw new DomainError('account_not_found');
  const { password_hash: _hash, ...account } = row;
  const orders = await searchOrders(ctx.db, { accountId: row.id }, { limit: 10, offset: 0 });
  return {
    account,
    ledger: (await listLedgerPage(ctx.db, row.id, { limit: 20, offset: 0 })).rows,
    orders: orders.rows,
    orderCount: orders.total,
  };
}
