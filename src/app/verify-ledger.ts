import { formatUnits } from '../domain/money.js';
import {
  accountsBelowZero,
  accountsWithBalanceMismatch,
  entriesWithRunningBalanceMismatch,
  ledgerTotals,
  orderEntriesWithoutOrder,
  ordersWithLedgerMismatch,
} from '../storage/ledger-checks.js';
import {
  accountsWithReversalMismatch,
  creditedPaymentsWithoutOneDeposit,
  depositsNotMatchingAPayment,
} from '../storage/payment-ledger-checks.js';
import type { AppContext } from './context.js';

export interface LedgerReport {
  ok: boolean;
  accounts: number;
  orders: number;
  entries: number;
  totalBalance: string;
  /** The invariants checked, in the words the violations use. */
  checks: string[];
  violations: string[];
}

export const LEDGER_CHECKS = [
  'each balance equals the sum of its entries and its last entry',
  'each entry records the running balance of its account',
  'no balance below zero',
  'exactly one charge entry per order, on the account of the order, for its charge',
  'at most one refund entry per order, within its charge, matching its refunded amount',
  'every deposit entry is the credit of one succeeded payment of the same account',
  'no payment credited twice: each credited payment has exactly one deposit entry',
  'what payments took back (refunds, lost disputes) is debited in the ledger or owed by the customer',
] as const;

const money = (units: unknown) => formatUnits(Number(units ?? 0));

async function accountViolations(ctx: AppContext): Promise<string[]> {
  const violations: string[] = [];
  for (const row of await accountsWithBalanceMismatch(ctx.db)) {
    const who = `account ${row.id} (${row.email})`;
    const balance = money(row.balance_units);
    if (Number(row.total ?? 0) !== Number(row.balance_units)) {
      violations.push(
        `${who}: balance ${balance} does not equal the sum of its ${Number(row.entries ?? 0)} ledger entries ${money(row.total)}`,
      );
    }
    if (row.last_id !== null && Number(row.last_balance_after) !== Number(row.balance_units)) {
      violations.push(
        `${who}: balance ${balance} does not equal the balance after its last ledger entry ${row.last_id} (${money(row.last_balance_after)})`,
      );
    }
  }
  for (const row of await accountsBelowZero(ctx.db)) {
    violations.push(`account ${row.id} (${row.email}): balance ${money(row.balance_units)} is below zero`);
  }
  for (const row of await entriesWithRunningBalanceMismatch(ctx.db)) {
    violations.push(
      `ledger entry ${row.id} of account ${row.account_id}: records balance after ${money(row.balance_after_units)}, ` +
        `but the account's entries up to it sum to ${money(row.running)}` +
        (Number(row.running) < 0 ? ', below zero' : ''),
    );
  }
  return violations;
}

type OrderRow = Awaited<ReturnType<typeof ordersWithLedgerMismatch>>[number];

/** Each broken order invariant as its own sentence (contract §9). */
function describeOrder(row: OrderRow): string[] {
  const order = `order ${row.id}`;
  const charges = Number(row.charges ?? 0);
  const refunds = Number(row.refunds ?? 0);
  const chargedUnits = -Number(row.charged ?? 0);
  const refundedUnits = Number(row.refunded ?? 0);
  const violations: string[] = [];
  if (charges !== 1) violations.push(`${order}: has ${charges} charge entries, expected exactly one`);
  if (refunds > 1) violations.push(`${order}: has ${refunds} refund entries, expected at most one`);
  if (Number(row.foreign_entries ?? 0) > 0) {
    violations.push(
      `${order}: ${row.foreign_entries} of its ledger entries are on another account than the order's (${row.account_id})`,
    );
  }
  if (chargedUnits !== Number(row.charge_units)) {
    violations.push(
      `${order}: charge entries total ${money(chargedUnits)}, the order's charge is ${money(row.charge_units)}`,
    );
  }
  if (refundedUnits > chargedUnits) {
    violations.push(`${order}: refunds ${money(refundedUnits)} exceed the charge ${money(chargedUnits)}`);
  }
  if (refundedUnits !== Number(row.refunded_units)) {
    violations.push(
      `${order}: refund entries total ${money(refundedUnits)}, the order says ${money(row.refunded_units)} refunded`,
    );
  }
  if (Number(row.refunded_units) > Number(row.charge_units)) {
    violations.push(
      `${order}: refunded ${money(row.refunded_units)} exceeds its charge ${money(row.charge_units)}`,
    );
  }
  return violations;
}

async function orderViolations(ctx: AppContext): Promise<string[]> {
  const violations = (await ordersWithLedgerMismatch(ctx.db)).flatMap(describeOrder);
  for (const row of await orderEntriesWithoutOrder(ctx.db)) {
    violations.push(`ledger entry ${row.id}: a ${row.kind} for order ${row.order_id}, which does not exist`);
  }
  return violations;
}

async function paymentViolations(ctx: AppContext): Promise<string[]> {
  const violations: string[] = [];
  for (const row of await depositsNotMatchingAPayment(ctx.db)) {
    const entry = `ledger entry ${row.id} (deposit of ${money(row.amount_units)} to account ${row.account_id})`;
    if (row.payment_account_id === null) violations.push(`${entry}: names no payment`);
    else if (Number(row.payment_account_id) !== Number(row.account_id))
      violations.push(`${entry}: payment ${row.payment_id} belongs to account ${row.payment_account_id}`);
    else if (Number(row.credited_units) !== Number(row.amount_units))
      violations.push(`${entry}: payment ${row.payment_id} credited ${money(row.credited_units)}`);
    else violations.push(`${entry}: payment ${row.payment_id} is ${row.status}, not credited`);
  }
  for (const row of await creditedPaymentsWithoutOneDeposit(ctx.db)) {
    violations.push(
      `payment ${row.id} (${row.reference}): has ${Number(row.deposits ?? 0)} deposit entries, expected exactly one`,
    );
  }
  for (const row of await accountsWithReversalMismatch(ctx.db)) {
    violations.push(
      `account ${row.id} (${row.email}): its payments took back ${money(row.reversed)}, but the ledger debited ${money(-Number(row.debited ?? 0))} and ${money(row.outstanding_units)} is owed`,
    );
  }
  return violations;
}

/**
 * The ledger's invariants (contract §3, §9): each balance equals the sum of its entries and
 * its last entry, no balance below zero, one charge per order, refunds at most one and within
 * the charge, and the order's own figures matching its entries. Each check is one statement,
 * so each sees a consistent snapshot while the server keeps running.
 */
export async function verifyLedger(ctx: AppContext): Promise<LedgerReport> {
  const violations = [
    ...(await accountViolations(ctx)),
    ...(await orderViolations(ctx)),
    ...(await paymentViolations(ctx)),
  ];
  const totals = await ledgerTotals(ctx.db);
  return {
    ok: violations.length === 0,
    accounts: totals.accounts,
    orders: totals.orders,
    entries: totals.entries,
    totalBalance: formatUnits(totals.balanceUnits),
    checks: [...LEDGER_CHECKS],
    violations,
  };
}
