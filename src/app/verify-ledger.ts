import { formatUnits } from '../domain/money.js';
import {
  accountsWithBalanceMismatch,
  ledgerTotals,
  ordersWithLedgerMismatch,
} from '../storage/ledger-checks.js';
import type { AppContext } from './context.js';

export interface LedgerReport {
  ok: boolean;
  accounts: number;
  orders: number;
  entries: number;
  totalBalance: string;
  violations: string[];
}

const money = (units: unknown) => formatUnits(Number(units ?? 0));

/**
 * The ledger's invariants (contract §3, §9): each balance equals the sum of its entries and
 * its last entry, no balance below zero, one charge per order, refunds at most one and within
 * the charge, and the order's own figures matching its entries.
 */
export async function verifyLedger(ctx: AppContext): Promise<LedgerReport> {
  const violations: string[] = [];
  for (const row of await accountsWithBalanceMismatch(ctx.db)) {
    violations.push(
      `account ${row.id} (${row.email}): balance ${money(row.balance_units)}, entries sum ${money(row.total)}, ` +
        `last entry balance ${money(row.last_balance_after)}`,
    );
  }
  for (const row of await ordersWithLedgerMismatch(ctx.db)) {
    violations.push(
      `order ${row.id}: ${Number(row.charges ?? 0)} charge entries for ${money(row.charged)} ` +
        `(order charge ${money(row.charge_units)}), ${Number(row.refunds ?? 0)} refund entries for ` +
        `${money(row.refunded)} (order refunded ${money(row.refunded_units)})`,
    );
  }
  const totals = await ledgerTotals(ctx.db);
  return {
    ok: violations.length === 0,
    accounts: totals.accounts,
    orders: totals.orders,
    entries: totals.entries,
    totalBalance: formatUnits(totals.balanceUnits),
    violations,
  };
}
